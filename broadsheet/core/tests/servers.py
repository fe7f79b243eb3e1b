"""Real app servers for multi-process tests: free ports, gunicorn started and stopped by PID."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
# Every step has a deadline; a multi-server test stays well under a minute.
STARTUP_SECONDS = 30
# Settings the test environment may carry that would take the site off the default set-up
# (a SQLite file, the local-memory cache, rate limits counted in the database).
NOT_DEFAULT = frozenset(
    {
        "DATABASE_URL",
        "REDIS_URL",
        "RATE_LIMIT_STORE",
        "RATE_LIMIT_CACHE",
        "MODERATION_RATE_STORE",
        "MODERATION_CACHE",
    }
)


def free_port() -> int:
    """A port on the loopback nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_serving(port: int, process: subprocess.Popen, deadline: float) -> None:
    """Return once the server accepts connections; fail if it exits or the deadline passes."""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"gunicorn on port {port} did not start in time")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Let a test see a redirect's status and Location instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


def server_env(*, data_dir: str, drop: Iterable[str] = (), **settings: str) -> dict[str, str]:
    """The environment of a production-settings server: this one's, less `drop`, plus settings."""
    dropped = {"DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST", *drop}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(
        {"DJANGO_SETTINGS_MODULE": "broadsheet.config.settings", "DATA_DIR": data_dir, **settings}
    )
    return env


def broadsheet_command(env: dict[str, str], *args: str, timeout: int = 120) -> str:
    """Run `broadsheet <args>` in env and return what it printed."""
    done = subprocess.run(
        [str(BIN / "broadsheet"), *args],
        env=env,
        check=True,
        timeout=timeout,
        capture_output=True,
        text=True,
    )
    return done.stdout


@contextlib.contextmanager
def gunicorn_servers(env: dict[str, str], count: int = 2) -> Iterator[tuple[list[int], list[int]]]:
    """Start `count` one-worker gunicorn servers; yield (ports, pids); stop only those."""
    processes: list[subprocess.Popen] = []
    ports = [free_port() for _ in range(count)]
    try:
        for port in ports:
            command = [str(BIN / "gunicorn"), "broadsheet.config.wsgi", "--bind", f"{HOST}:{port}"]
            processes.append(
                subprocess.Popen(
                    [*command, "--workers", "1", "--log-level", "warning"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        for port, process in zip(ports, processes, strict=True):
            wait_until_serving(port, process, deadline)
        yield ports, [p.pid for p in processes]
    finally:
        # Only the processes this test started, by their own handles (gunicorn stops its worker).
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
