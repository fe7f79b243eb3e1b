"""gunicorn against granian, serving the same pages from the same database in one run.

Both run the same WSGI application with the same shape (BENCH_WORKERS processes of
BENCH_THREADS threads; `make run`'s 2 x 1 by default) on 127.0.0.1, one after the other, each
started and stopped by its own PID. Pages: the article with a 1,000-comment thread, the API's
thread endpoint, and a small static file (whitenoise). Figures: bench/results/app_server.json.

    python -m bench app_server
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

from bench.common import (
    BIN,
    Server,
    free_port,
    granian,
    gunicorn,
    latency,
    machine,
    markdown_table,
    thread_build,
    throughput,
    write_results,
)

SIZE = 1000
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
STATIC = "/static/discussion/widget.js"


def main() -> dict:
    """Measure each server on the same three paths and print a comparison."""
    built = thread_build(SIZE)
    paths = {
        f"article page ({SIZE:,} comments)": built["article"],
        "API thread": built["api"],
        "static file": STATIC,
    }
    servers: list[tuple[str, Callable[[int], Server]]] = [("gunicorn", gunicorn)]
    if (BIN / "granian").exists() or shutil.which("granian"):
        servers.append(("granian", granian))
    else:
        print("granian is not installed (pip install granian): measuring gunicorn only")
    results: list[dict[str, Any]] = []
    # Rounds alternate the servers so a busy moment on the machine does not favour either.
    for round_number in range(1, ROUNDS + 1):
        for name, make in servers:
            port = free_port()
            with make(port):
                for label, path in paths.items():
                    timing = latency(port, path, count=150, max_seconds=6)
                    load = throughput(port, path, max_requests=3000, max_seconds=6)
                    results.append(
                        {
                            "round": round_number,
                            "server": name,
                            "page": label,
                            "path": path,
                            "latency": timing,
                            "throughput": load,
                        }
                    )
                    print(f"  round {round_number} {name} {label}: {timing} {load}", flush=True)
    rows = []
    for name, _make in servers:
        for label in paths:
            mine = [r for r in results if r["server"] == name and r["page"] == label]
            rows.append(
                [
                    name,
                    label,
                    min(r["latency"]["median_ms"] for r in mine),
                    min(r["latency"]["p95_ms"] for r in mine),
                    max(r["throughput"]["requests_per_second"] for r in mine),
                    sum(r["throughput"]["errors"] + r["latency"]["errors"] for r in mine),
                ]
            )
    data = {"machine": machine(), "rounds": ROUNDS, "results": results}
    out = write_results("app_server", data)
    print()
    print(
        markdown_table(
            [
                "server",
                "page",
                "median ms (best round)",
                "p95 ms (best round)",
                "requests/s, 8 clients (best round)",
                "errors",
            ],
            rows,
        )
    )
    print(f"\nFigures written to {out}")
    return data


if __name__ == "__main__":
    main()
