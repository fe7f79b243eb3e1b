"""Broadsheet beside Isso, in one run of one harness: reading, posting, cold start, memory.

Isso 0.14 is installed from PyPI into the benchmark's own environment (bench/.peers-venv,
never the project's) and served by gunicorn with the same shape as `make run`'s (BENCH_WORKERS
x BENCH_THREADS). Both get the same threads (BENCH_PEERS_SIZES, by default 7, 1,000, 10,000
and 100,000 comments, about 40% top level, replies to depth 5, from bench.common's
comment_shapes) and the same load generator (wrk from Debian, else a bounded Python client).
Broadsheet runs as `make run` serves it (SQLite, every moderation rule and model on, its task
worker beside it) with the rate limits lifted for both systems (Isso's guard off).

Figures: bench/results/peers.json (peers-<sizes>.json for other sizes), and a Markdown table
printed at the end.

    make bench-peers        (or: .venv/bin/python -m bench peers)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

from bench.common import (
    HOST,
    ROOT,
    Server,
    comment_shapes,
    free_port,
    group_processes,
    gunicorn,
    gunicorn_argv,
    latency,
    machine,
    markdown_table,
    run_clients,
    site,
    thread_build,
    write_results,
)
from bench.front_cache import load

ISSO = "isso==0.14.0"
PEERS_VENV = Path(os.environ.get("BENCH_PEERS_VENV", ROOT / "bench" / ".peers-venv"))
DEFAULT_SIZES = "7,1000,10000,100000"
SIZES = [int(n) for n in os.environ.get("BENCH_PEERS_SIZES", DEFAULT_SIZES).split(",")]
# Other sizes go to a file of their own (peers-7-1000.json), beside the default run's.
RESULTS = (
    "peers"
    if SIZES == [int(n) for n in DEFAULT_SIZES.split(",")]
    else ("peers-" + "-".join(str(n) for n in SIZES))
)
WRITERS = 8
POSTS_PER_WRITER = int(os.environ.get("BENCH_PEERS_POSTS", "40"))
POST_SECONDS = int(os.environ.get("BENCH_PEERS_POST_SECONDS", "8"))
LIFTED = {
    "MODERATION_RATE_PER_IP": "1000000/60",
    "MODERATION_RATE_PER_IDENTITY": "1000000/60",
    "COMMENT_REPORT_RATE": "1000000/60",
}


def say(line: str) -> None:
    print(line, flush=True)


def peers_venv() -> Path:
    """The benchmark's own venv with Isso and gunicorn (made once; never the project's)."""
    python = PEERS_VENV / "bin" / "python"
    if not (PEERS_VENV / "bin" / "isso").exists():
        say(f"installing {ISSO} into {PEERS_VENV} (once)")
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        import gunicorn as ours

        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", ISSO, f"gunicorn=={ours.__version__}"],
            check=True,
        )
    return PEERS_VENV


# Isso --------------------------------------------------------------------------------------


def isso_config(folder: Path, port: int) -> Path:
    config = folder / "isso.cfg"
    config.write_text(
        f"[general]\ndbpath = {folder / 'comments.db'}\nhost = http://{HOST}:{port}/\n"
        f"log-file = {folder / 'isso.log'}\n"
        "[moderation]\nenabled = false\n[guard]\nenabled = false\n"
        f"[server]\nlisten = http://{HOST}:{port}/\n"
    )
    return config


def isso_server(venv: Path, config: Path, port: int, ready_path: str) -> Server:
    env = {**os.environ, "ISSO_SETTINGS": str(config)}
    for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"):
        env.pop(key, None)
    argv = gunicorn_argv(venv / "bin" / "gunicorn", "isso.run", port)
    return Server("isso", argv, port, env=env, ready_path=ready_path)


def isso_fill(database: Path, sizes: list[int]) -> None:
    """Write the same threads into Isso's own tables (its API would take an hour for 100,000)."""
    db = sqlite3.connect(database)
    now = time.time()
    for size in sizes:
        tid = db.execute(
            "INSERT INTO threads (uri, title) VALUES (?, ?)", (f"/bench-{size}/", f"{size}")
        ).lastrowid
        ids: list[int] = []
        for n, (name, body, parent) in enumerate(comment_shapes(size)):
            row = db.execute(
                "INSERT INTO comments (tid, parent, created, modified, mode, remote_addr, text, "
                "author, email, website, likes, dislikes, voters, notification) "
                "VALUES (?, ?, ?, NULL, 1, '127.0.0.0', ?, ?, NULL, NULL, 0, 0, ?, 0)",
                (tid, ids[parent] if parent is not None else None, now + n, body, name, b""),
            )
            ids.append(int(row.lastrowid or 0))
    db.commit()
    db.close()


# Load helpers ------------------------------------------------------------------------------


def stack_pss_mb(pgids: list[int]) -> float:
    """Proportional set size of every process in these process groups (shared pages split)."""
    total = 0
    for entry, _ in group_processes(pgids):
        try:
            for line in (entry / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return round(total / 1024, 1)


class PeakMemory:
    """Sample a stack's PSS twice a second; keep the peak."""

    def __init__(self, pgids: list[int]) -> None:
        self.pgids, self.peak, self._stop = pgids, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, stack_pss_mb(self.pgids))
            self._stop.wait(0.5)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def settle(pgid: int) -> None:
    """Wait until the server has answered what an earlier load left queued: until it idles.

    A load generator's requests still in the server's queue when it stops keep a worker busy
    (Isso's thread JSON takes over half a second in the big database): posting measured on top
    of them would measure the queue.
    """
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        return sum(int(f[11]) + int(f[12]) for _, f in group_processes([pgid])) / ticks

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        before = cpu()
        time.sleep(0.5)
        if cpu() - before < 0.05:
            return


def post_concurrently(port: int, path: str, payload) -> dict:
    """WRITERS connections posting comments as JSON for POST_SECONDS; accepted per second.

    wrk (bench/post.lua) when there is one, so the load generator's own CPU stays small beside
    the servers' on this 2-core machine; else WRITERS Python clients of POSTS_PER_WRITER each.
    """
    wrk = shutil.which("wrk")
    if wrk is not None:
        return _post_with_wrk(wrk, port, path, payload)
    return _post_with_python(port, path, payload)


def _post_with_wrk(wrk: str, port: int, path: str, payload) -> dict:
    run = os.urandom(3).hex()
    template = json.dumps(
        payload("WRITER", f"Run {run}, writer WRITER, note NOTE: the ferry ran late.")
    )
    argv = [wrk, "-t2", f"-c{WRITERS}", f"-d{POST_SECONDS}s", "--timeout", "30s"]
    argv += ["-s", str(ROOT / "bench" / "post.lua"), f"http://{HOST}:{port}{path}"]
    out = subprocess.run(  # noqa: S603 - our own arguments, 127.0.0.1 only
        [*argv, "--", template, f"http://{HOST}:{port}"], capture_output=True, text=True, check=True
    ).stdout
    accepted = int(re.search(r"ACCEPTED (\d+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return {
        "client": "wrk",
        "accepted": accepted,
        "requests": requests,
        "seconds": POST_SECONDS,
        "accepted_per_second": round(accepted / POST_SECONDS, 1),
    }


def _post_with_python(port: int, path: str, payload) -> dict:
    import http.client

    accepted = [0] * WRITERS
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    run = os.urandom(3).hex()

    def writer(w: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        for i in range(POSTS_PER_WRITER):
            body = json.dumps(payload(w, f"Run {run}, writer {w}, note {i}: the ferry ran late."))
            conn.request(
                "POST",
                path,
                body,
                {
                    "Content-Type": "application/json",
                    "Origin": f"http://{HOST}:{port}",
                    "Host": f"{HOST}:{port}",
                },
            )
            response = conn.getresponse()
            response.read()
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
            if response.status in (200, 201, 202):
                accepted[w] += 1
        conn.close()

    elapsed = run_clients(writer, WRITERS)
    return {
        "client": "python",
        "accepted": sum(accepted),
        "seconds": round(elapsed, 2),
        "accepted_per_second": round(sum(accepted) / elapsed, 1),
        "statuses": statuses,
    }


def post_broadsheet(port: int, key: str) -> dict:
    """Post guests' JSON comments into Broadsheet's thread `key` (post_concurrently)."""
    return post_concurrently(
        port,
        "/api/comments",
        lambda w, text: {
            "key": key,
            "body": text,
            "author_name": f"Writer {w}",
            "author_email": f"writer{w}@example.org",
        },
    )


def reads(port: int, paths: dict[str, str]) -> dict:
    """Sequential latency (median, p99) of each path, and throughput of the 1,000-comment one."""
    figures = {}
    for label, path in paths.items():
        figures[label] = latency(port, path, count=200, max_seconds=8)
    return figures


# The run -----------------------------------------------------------------------------------


def broadsheet_stack(env: dict[str, str], port: int, ready: str):
    server = gunicorn(port, env=env, ready_path=ready)
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "broadsheet"), "task_worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return server, worker


def tasks_drain(env: dict[str, str]) -> None:
    """Run the tasks that building the threads queued (search entries, topic suggestions).

    They belong to the editors' publishing, not to the readers' and writers' load measured
    here: left queued, the stack's worker would load spaCy's pipeline (about 110 MB) during
    the run for articles published before it began.
    """
    subprocess.run(  # noqa: S603 - our own command
        [str(Path(sys.executable).parent / "broadsheet"), "db_worker", "--batch", "--skip-checks"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )


def run_broadsheet(sizes: list[int], *, cached: bool) -> dict:
    built = {size: thread_build(size) for size in sizes}
    env = dict(site().env)
    tasks_drain(env)
    if not cached:
        env.update({"PAGE_CACHE_SECONDS": "0", "CACHE_BACKEND": "dummy"})
    port = free_port()
    first = built[sizes[0]]["article"]
    server, worker = broadsheet_stack(env, port, first)
    result: dict = {}
    with server:
        result["cold_start_seconds"] = round(server.ready_seconds, 2)
        assert server.process is not None
        with PeakMemory([server.process.pid, worker.pid]) as memory:
            result["reads"] = {}
            for size in sizes:
                say(f"  broadsheet ({'cached' if cached else 'uncached'}): {size:,} comments")
                result["reads"][size] = reads(
                    port,
                    {"article page": built[size]["article"], "thread JSON": built[size]["api"]},
                )
            big = built[min(sizes, key=lambda n: abs(n - 1000))]
            result["throughput"] = {
                "article page": load(port, big["article"]),
                "thread JSON": load(port, big["api"]),
            }
            if cached:
                key = big["api"].split("key=", 1)[1]
                settle(server.process.pid)
                result["posting"] = post_broadsheet(port, key)
                result["posting"]["stored"] = stored_comments(key)
        result["peak_pss_mb"] = memory.peak
    os.killpg(worker.pid, 15)
    worker.wait(timeout=30)
    return result


def stored_comments(key: str) -> int:
    """How many of the benchmark's posts the thread holds."""
    from broadsheet.discussion.models import Comment

    return Comment.objects.filter(thread__key=key, body__startswith="Run ").count()


def run_isso(sizes: list[int]) -> dict:
    venv = peers_venv()
    result: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-isso-") as tmp:
        folder = Path(tmp)
        port = free_port()
        config = isso_config(folder, port)
        with isso_server(venv, config, port, "/config"):
            pass  # its first start creates the tables
        say("  isso: writing the threads")
        isso_fill(folder / "comments.db", sizes)
        # 50 top-level comments with their replies, as Broadsheet's API pages them.
        path = {size: f"/?uri={urllib.parse.quote(f'/bench-{size}/')}&limit=50" for size in sizes}
        server = isso_server(venv, config, port, path[sizes[0]])
        with server:
            result["cold_start_seconds"] = round(server.ready_seconds, 2)
            assert server.process is not None
            with PeakMemory([server.process.pid]) as memory:
                result["reads"] = {}
                for size in sizes:
                    say(f"  isso: {size:,} comments")
                    result["reads"][size] = reads(port, {"thread JSON": path[size]})
                big = min(sizes, key=lambda n: abs(n - 1000))
                result["throughput"] = {"thread JSON": load(port, path[big])}
                settle(server.process.pid)
                result["posting"] = post_concurrently(
                    port,
                    f"/new?uri={urllib.parse.quote(f'/bench-{big}/')}",
                    lambda w, text: {"text": text, "author": f"Writer {w}"},
                )
            result["peak_pss_mb"] = memory.peak
        db = sqlite3.connect(folder / "comments.db")
        result["posting"]["stored"] = db.execute(
            "SELECT COUNT(*) FROM comments WHERE text LIKE 'Run %'"
        ).fetchone()[0]
        db.close()
    return result


def run_broadsheet_postgres() -> dict | None:
    """Posting on PostgreSQL (bench/peers_postgres.py), when a server answers at BENCH_PG_URL."""
    say("  broadsheet on PostgreSQL: posting")
    done = subprocess.run(
        [sys.executable, "-m", "bench.peers_postgres"],
        cwd=ROOT,
        env={**os.environ, **LIFTED},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        say(f"  PostgreSQL run failed: {done.stderr.strip().splitlines()[-1:]}")
        if os.environ.get("CI") == "true":
            raise RuntimeError(done.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> dict:
    os.environ.update(LIFTED)
    say(f"sizes {SIZES}; building Broadsheet's threads")
    data: dict[str, Any] = {
        "machine": machine(),
        "sizes": SIZES,
        "broadsheet": run_broadsheet(SIZES, cached=True),
        "broadsheet_uncached": run_broadsheet(SIZES, cached=False),
        "isso": run_isso(SIZES),
        "broadsheet_postgres": run_broadsheet_postgres(),
    }
    data["machine"]["load_average_after"] = [round(n, 2) for n in os.getloadavg()]
    out = write_results(RESULTS, data)
    print(table(data))
    say(f"Figures: {out}")
    return data


def table(data: dict) -> str:
    """The README's table: one row per measure, Broadsheet beside Isso."""
    b, u, i = data["broadsheet"], data["broadsheet_uncached"], data["isso"]
    rows: list[list[object]] = []
    for size in data["sizes"]:
        key = str(size) if str(size) in b["reads"] else size
        rows.append(
            [
                f"thread JSON, {size:,} comments: median / p99 ms",
                _ms(b["reads"][key]["thread JSON"]),
                _ms(u["reads"][key]["thread JSON"]),
                _ms(i["reads"][key]["thread JSON"]),
            ]
        )
        rows.append(
            [
                f"article page, {size:,} comments: median / p99 ms",
                _ms(b["reads"][key]["article page"]),
                _ms(u["reads"][key]["article page"]),
                "no page",
            ]
        )
    rows += [
        [
            "thread JSON, ~1,000 comments: requests/s",
            f"{b['throughput']['thread JSON']['requests_per_second']:,.0f}",
            f"{u['throughput']['thread JSON']['requests_per_second']:,.0f}",
            f"{i['throughput']['thread JSON']['requests_per_second']:,.0f}",
        ],
        [
            "article page, ~1,000 comments: requests/s",
            f"{b['throughput']['article page']['requests_per_second']:,.0f}",
            f"{u['throughput']['article page']['requests_per_second']:,.0f}",
            "no page",
        ],
        [
            f"posting, {WRITERS} writers: accepted/s (stored/accepted)",
            f"{b['posting']['accepted_per_second']} ({b['posting']['stored']}/"
            f"{b['posting']['accepted']})",
            "",
            f"{i['posting']['accepted_per_second']} ({i['posting']['stored']}/"
            f"{i['posting']['accepted']})",
        ],
        [
            f"posting on PostgreSQL, {WRITERS} writers: accepted/s (stored/accepted)",
            _posting(data.get("broadsheet_postgres")),
            "",
            "no PostgreSQL",
        ],
        [
            "cold start to first answer, s",
            b["cold_start_seconds"],
            u["cold_start_seconds"],
            i["cold_start_seconds"],
        ],
        ["peak PSS of the whole stack, MB", b["peak_pss_mb"], u["peak_pss_mb"], i["peak_pss_mb"]],
    ]
    return markdown_table(["measure", "Broadsheet", "Broadsheet, no caches", "Isso 0.14"], rows)


def _posting(figures: dict | None) -> str:
    if not figures:
        return "not run"
    return f"{figures['accepted_per_second']} ({figures['stored']}/{figures['accepted']})"


def _ms(figures: dict) -> str:
    return f"{figures['median_ms']} / {figures['p99_ms']}"


if __name__ == "__main__":
    main()
