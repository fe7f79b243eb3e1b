"""The article page from the app's page cache, from nginx's cache, and from a file, in one run.

gunicorn as `make run` starts it (BENCH_WORKERS x BENCH_THREADS) serves a 1,000-comment article
page; nginx runs the deployment guide's own site file (deploy/nginx/broadsheet.conf) in front of
it, plus a plain server block sending the same bytes from a file. Each target gets the same load
(wrk from Debian when installed, else the bounded Python client), one after the other; server
CPU per request is read from /proc for gunicorn's process group. Figures:
bench/results/front_cache.json.

    python -m bench front_cache
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import (
    HOST,
    free_port,
    group_processes,
    gunicorn,
    machine,
    markdown_table,
    request,
    thread_build,
    throughput,
    write_results,
)
from broadsheet.core.tests.servers import nginx_binary, nginx_conf

SIZE = 1000
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = 16
TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """User and system CPU of every process in a process group (gunicorn and its workers)."""
    return sum(int(f[11]) + int(f[12]) for _, f in group_processes([pgid])) / TICKS


def load(port: int, path: str, headers: dict[str, str] | None = None) -> dict:
    """Requests per second and the 99th percentile, from wrk when there is one."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return throughput(port, path, concurrency=CONNECTIONS, max_seconds=SECONDS)
    argv = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    out = subprocess.run(  # noqa: S603 - our own arguments, 127.0.0.1 only
        [*argv, f"http://{HOST}:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "requests": requests,
        "requests_per_second": rps,
        "p99_ms": round(float(p99.group(1)) * scale[p99.group(2)], 2) if p99 else None,
        "non_2xx": int(m.group(1)) if (m := re.search(r"Non-2xx.*?(\d+)", out)) else 0,
    }


def main() -> dict:
    """Measure the four ways of serving the page and print a table."""
    built = thread_build(SIZE)
    path = built["article"]
    nginx = nginx_binary()
    port = free_port()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-front-cache-") as tmp, gunicorn(port) as app:
        folder = Path(tmp)
        assert app.process is not None
        status, body = request(port, path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        (folder / "static").mkdir()
        (folder / "static" / "page.html").write_bytes(body)
        # nginx's unprivileged workers read the file.
        os.chmod(folder / "static", 0o755)  # noqa: S103 - this run's own throwaway folder
        etag = _etag(port, path)
        for label, headers in (("app page cache", None), ("app 304", {"If-None-Match": etag})):
            before = group_cpu_seconds(app.process.pid)
            figures = load(port, path, headers)
            spent = group_cpu_seconds(app.process.pid) - before
            figures["server_cpu_ms"] = round(spent * 1000 / max(1, figures["requests"]), 2)
            results[label] = figures
        if nginx:
            listen, static = free_port(), free_port()
            extra = (
                f"server {{ listen {HOST}:{static}; root {folder / 'static'}; "
                "location / { default_type text/html; } }"
            )
            conf = nginx_conf(folder, [port], listen, extra=extra)
            front = subprocess.Popen(  # noqa: S603 - Debian's nginx with this run's own file
                [nginx, "-c", str(conf), "-p", str(folder)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                time.sleep(0.5)
                request(listen, path)  # fill nginx's cache
                results["nginx cache (deploy/)"] = load(listen, path)
                results["nginx static file"] = load(static, "/page.html")
            finally:
                front.terminate()  # only the nginx this run started
                front.wait(timeout=15)
    if "nginx static file" in results:
        ratio = (
            results["nginx cache (deploy/)"]["requests_per_second"]
            / results["nginx static file"]["requests_per_second"]
        )
        results["nginx cache (deploy/)"]["share_of_static"] = round(ratio, 3)
    page = {"comments": SIZE, "bytes": len(body)}
    data = {"machine": machine(), "page": page, "results": results}
    out = write_results("front_cache", data)
    rows = [
        [
            label,
            f"{r['requests_per_second']:,.0f}",
            r.get("p99_ms", "—"),
            r.get("server_cpu_ms", "—"),
        ]
        for label, r in results.items()
    ]
    print(markdown_table(["served by", "requests/s", "p99 ms", "server CPU ms/request"], rows))
    print(f"Figures: {out}")
    return data


def _etag(port: int, path: str) -> str:
    import http.client

    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", path, headers={"Host": f"{HOST}:{port}"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.getheader("ETag") or ""


if __name__ == "__main__":
    main()
