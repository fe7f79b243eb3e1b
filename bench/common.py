"""Shared pieces of the benchmarks: a throwaway site, a production server, a small load client.

Every server runs on 127.0.0.1 on a free port, is started by the benchmark and stopped by its
own PID; every load is bounded by a request count and a time limit.
"""

from __future__ import annotations

import atexit
import http.client
import io
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
# The same shape as `make run`: gunicorn with WEB_WORKERS=2 processes of WEB_THREADS=1 thread.
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))

_site: Site | None = None


@dataclass
class Site:
    """A throwaway Broadsheet: its DATA_DIR, environment, and the threads built in it."""

    data_dir: Path
    env: dict[str, str]
    threads: dict[int, dict[str, str]] = field(default_factory=dict)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def site() -> Site:
    """Set up (once per process) a fresh SQLite site in a temporary DATA_DIR, migrated."""
    global _site
    if _site is not None:
        return _site
    data_dir = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    if not os.environ.get("BENCH_KEEP"):
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DATA_DIR": str(data_dir),
            "DEBUG": "false",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SITE_URL": f"http://{HOST}:8000",
            "TASKS_BACKEND": "database",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings",
        }
    )
    os.environ.update(env)
    for key in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(key, None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    # As `make run` does before serving: bytecode for Broadsheet's modules, and the toxicity
    # model's copy, so servers start fast.
    import compileall

    compileall.compile_dir(str(ROOT / "broadsheet"), quiet=1)
    call_command("referee_prepare", stdout=io.StringIO())
    _site = Site(data_dir=data_dir, env=env)
    return _site


def thread_build(size: int) -> dict[str, str]:
    """Publish an article whose thread has `size` approved comments; return its URLs."""
    current = site()
    if size in current.threads:
        return current.threads[size]
    from broadsheet.discussion.services import BulkComment, comment_bulk_import
    from broadsheet.newsroom.embed import article_thread
    from broadsheet.newsroom.services import article_create, article_publish

    article = article_create(
        headline=f"A story with {size:,} comments",
        body="The harbour board met on Tuesday.\n\nIt decided nothing, at length.",
        slug=f"bench-{size}",
    )
    article = article_publish(article=article)
    thread = article_thread(article)
    started = time.perf_counter()
    items = [
        BulkComment(author_name=name, body=body, parent=parent)
        for name, body, parent in comment_shapes(size)
    ]
    comment_bulk_import(thread=thread, items=items)
    thread.refresh_from_db()
    built = {
        "article": article.get_absolute_url(),
        "api": f"/api/threads?key={thread.key}",
        "comments": str(thread.comment_count),
        "top_level": str(thread.top_level_count),
        "build_seconds": f"{time.perf_counter() - started:.1f}",
    }
    current.threads[size] = built
    return built


def comment_shapes(size: int) -> list[tuple[str, str, int | None]]:
    """(author, body, index of the parent or None) for a thread of `size`, the same every run.

    Two comments in five start a branch; the others reply to one of the last 30 comments, so
    branches grow several levels deep (Broadsheet caps the depth at 5). Every system compared
    gets this same thread.
    """
    rng = random.Random(size)
    shapes: list[tuple[str, str, int | None]] = []
    while len(shapes) < size:
        n = len(shapes)
        parent = None if n == 0 or rng.random() < 0.4 else rng.randrange(max(0, n - 30), n)
        name = f"Reader {n}" if parent is None else f"Replier {n}"
        shapes.append((name, _body(rng, n), parent))
    return shapes


_WORDS = (
    "the harbour board ferry council vote tide morning readers agree disagree surely "
    "figures budget bridge timetable fares winter crossing weather pier lights"
).split()


def _body(rng: random.Random, n: int) -> str:
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 40)))
    return f"Comment {n}: {words.capitalize()}. *Really* [source](https://example.com/{n})."


class Server:
    """A production app server started by this benchmark, stopped by its own PID."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        port: int,
        *,
        env: dict[str, str] | None = None,
        ready_path: str = "/api/openapi.json",
    ) -> None:
        self.name, self.argv, self.port = name, argv, port
        self.env, self.ready_path = env, ready_path
        self.started_at = 0.0
        self.ready_seconds = 0.0
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            prefix=f"bench-{name}-", suffix=".log", delete=False
        )

    def __enter__(self) -> Server:
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env if self.env is not None else site().env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log.name}")
            try:
                status, _ = request(self.port, self.ready_path)
                if status == 200:
                    self.ready_seconds = time.monotonic() - self.started_at
                    return self
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within 30 s; see {self.log.name}")

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the server (its own process group, which only it and its workers are in)."""
        if self.process is None or self.process.poll() is not None:
            return
        pid = self.process.pid
        os.killpg(pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self.log.close()
        if not os.environ.get("BENCH_KEEP"):
            os.unlink(self.log.name)


def gunicorn(port: int, *, env: dict[str, str] | None = None, ready_path: str = "") -> Server:
    """gunicorn as `make run` starts it."""
    argv = gunicorn_argv(
        BIN / "gunicorn",
        "broadsheet.config.wsgi",
        port,
        "--config",
        "python:broadsheet.config.gunicorn",
    )
    return Server("gunicorn", argv, port, env=env, ready_path=ready_path or "/api/openapi.json")


def gunicorn_argv(binary: Path, app: str, port: int, *extra: str) -> list[str]:
    """gunicorn serving `app` on the loopback with `make run`'s shape (workers x threads)."""
    return [
        str(binary),
        app,
        *extra,
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--log-level",
        "warning",
    ]


def group_processes(pgids: Iterable[int]) -> Iterator[tuple[Path, list[str]]]:
    """Each running process in these process groups: its /proc folder and its stat fields."""
    wanted = set(pgids)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) in wanted:  # field 5 of stat: the process group
            yield entry, fields


def granian(port: int) -> Server:
    """granian with the same number of processes and threads, over the same WSGI application."""
    return Server(
        "granian",
        [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "broadsheet.config.wsgi:application",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
            "--blocking-threads",
            str(THREADS),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        port,
    )


def request(port: int, path: str, conn: http.client.HTTPConnection | None = None):
    """GET one path; return (status, body)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": f"{HOST}:{port}"})
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    finally:
        if own:
            conn.close()


def latency(port: int, path: str, *, count: int = 200, max_seconds: float = 10.0) -> dict:
    """Time sequential requests on one keep-alive connection: the server's time per page."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    status, _ = request(port, path, conn)  # warm: caches, connections, imports
    if status != 200:
        print(f"  warning: GET {path} answered {status}", flush=True)
    times: list[float] = []
    size = errors = 0
    deadline = time.monotonic() + max_seconds
    while len(times) < count and time.monotonic() < deadline:
        started = time.perf_counter()
        status, body = request(port, path, conn)
        times.append((time.perf_counter() - started) * 1000)
        errors += status != 200
        size = len(body)
    conn.close()
    times.sort()
    return {
        "requests": len(times),
        "errors": errors,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
        "p99_ms": round(times[max(0, int(len(times) * 0.99) - 1)], 2),
        "bytes": size,
    }


def throughput(
    port: int,
    path: str,
    *,
    concurrency: int = 8,
    max_requests: int = 3000,
    max_seconds: float = 10.0,
) -> dict:
    """Requests per second from `concurrency` keep-alive clients, bounded in count and time."""
    lock = threading.Lock()
    issued = 0
    done = 0
    errors = 0
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        nonlocal issued, done, errors
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while True:
            with lock:
                if issued >= max_requests or time.monotonic() >= deadline:
                    break
                issued += 1
            try:
                status, _ = request(port, path, conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                status = 0
            with lock:
                done += 1
                errors += status != 200
        conn.close()

    elapsed = run_clients(lambda _n: client(), concurrency)
    return {
        "requests": done,
        "errors": errors,
        "seconds": round(elapsed, 2),
        "requests_per_second": round(done / elapsed, 1) if elapsed else 0.0,
        "concurrency": concurrency,
    }


def run_clients(client: Callable[[int], None], count: int) -> float:
    """Run client(0) ... client(count - 1) in threads at once; return the seconds they took."""
    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


def machine() -> dict:
    """What the figures were measured on."""
    import platform

    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "load_average": [round(n, 2) for n in os.getloadavg()],
        "database": "SQLite (WAL) in a temporary DATA_DIR",
        "workers": WORKERS,
        "threads": THREADS,
    }


def write_results(name: str, data: dict) -> Path:
    """Write the figures to bench/results/<name>.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def markdown_table(headers: list[str], rows: list[list[object]]) -> str:
    """Format rows as a Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
