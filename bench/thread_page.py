"""Thread page under the production server: 10, 1,000 and 100,000 comments.

Builds one published article per size (comments bulk-imported through discussion's
comment_bulk_import) in a throwaway SQLite DATA_DIR, starts gunicorn as `make run` does on
127.0.0.1, and measures for the article page and the API's thread endpoint:
server time per request (median and p95 of sequential keep-alive requests) and throughput
(requests per second from 8 concurrent keep-alive clients, at most 3,000 requests or 10 s).

    python -m bench thread_page            # all sizes
    BENCH_SIZES=10,1000 python -m bench thread_page
"""

from __future__ import annotations

import os

from bench.common import (
    free_port,
    gunicorn,
    latency,
    machine,
    markdown_table,
    thread_build,
    throughput,
    write_results,
)

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10,1000,100000").split(",")]


def main() -> dict:
    """Build the threads, measure each page through gunicorn, write and print the figures."""
    built = {}
    for size in SIZES:
        built[size] = thread_build(size)
        print(f"built {size:,} comments in {built[size]['build_seconds']} s", flush=True)
    port = free_port()
    rows = []
    results = []
    with gunicorn(port):
        for size in SIZES:
            pages = {
                "article page": built[size]["article"],
                "API thread": built[size]["api"],
            }
            for label, path in pages.items():
                timing = latency(port, path)
                load = throughput(port, path)
                results.append(
                    {
                        "comments": size,
                        "top_level": int(built[size]["top_level"]),
                        "page": label,
                        "path": path,
                        "latency": timing,
                        "throughput": load,
                    }
                )
                rows.append(
                    [
                        f"{size:,}",
                        label,
                        timing["median_ms"],
                        timing["p95_ms"],
                        load["requests_per_second"],
                        load["errors"],
                        f"{timing['bytes']:,}",
                    ]
                )
                print(f"  {size:,} {label}: {timing} {load}", flush=True)
    data = {"machine": machine(), "server": "gunicorn", "results": results}
    out = write_results("thread_page", data)
    print()
    print(
        markdown_table(
            [
                "comments",
                "page",
                "median ms",
                "p95 ms",
                "requests/s (8 clients)",
                "errors",
                "bytes",
            ],
            rows,
        )
    )
    print(f"\nFigures written to {out}")
    return data


if __name__ == "__main__":
    main()
