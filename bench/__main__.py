"""Run every benchmark in this folder: `python -m bench` (or `python -m bench thread_page`)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

# Helper modules, not benchmarks.
SKIP = {"common", "__main__"}


def benchmark_names() -> list[str]:
    """Every module in bench/ with a main(), thread_page and app_server first."""
    names = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])]
    names = [name for name in names if name not in SKIP]
    first = [name for name in ("thread_page", "app_server") if name in names]
    return first + sorted(set(names) - set(first))


def main(argv: list[str]) -> int:
    """Run the named benchmarks, or all of them."""
    names = argv or benchmark_names()
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        run = getattr(module, "main", None)
        if run is None:
            continue
        print(f"\n## {name}\n", flush=True)
        run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
