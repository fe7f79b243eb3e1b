"""Run every benchmark in this folder: `python -m bench`, or some: `python -m bench thread_page`."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Helper modules, not benchmarks.
SKIP = {"common", "__main__"}


def benchmark_names() -> list[str]:
    """Every module in bench/ with a main(), thread_page and app_server first."""
    names = [m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name not in SKIP]
    first = [name for name in ("thread_page", "app_server") if name in names]
    return first + sorted(set(names) - set(first))


def run_one(name: str) -> None:
    """Run one benchmark's main() in this process."""
    module = importlib.import_module(f"bench.{name}")
    if hasattr(module, "main"):
        print(f"\n## {name}\n", flush=True)
        module.main()


def main(argv: list[str]) -> int:
    """Run one benchmark here, or each of several in its own interpreter (each sets up Django)."""
    names = argv or benchmark_names()
    if len(names) == 1:
        run_one(names[0])
        return 0
    failed = []
    for name in names:
        done = subprocess.run([sys.executable, "-m", "bench", name], cwd=HERE.parent, check=False)
        if done.returncode:
            failed.append(name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
