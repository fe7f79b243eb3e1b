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
ROOT = Path(__file__).resolve().parents[3]
# The deployment guide's nginx site file: tests and benchmarks run nginx with this very file.
NGINX_SITE = ROOT / "deploy" / "nginx" / "broadsheet.conf"
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


def nginx_conf(folder: Path, ports: list[int], listen: int, extra: str = "") -> Path:
    """The deployment guide's site file with these ports and folders, in a main file of its own.

    `extra` is more of the http block (a benchmark's static server, say).
    """
    site = NGINX_SITE.read_text()
    upstreams = "    server 127.0.0.1:8001;\n    server 127.0.0.1:8002;\n"
    if upstreams not in site or "listen 80;" not in site:
        raise AssertionError(f"{NGINX_SITE} no longer has the upstreams and listen line we fill")
    site = site.replace(upstreams, "".join(f"    server {HOST}:{p};\n" for p in ports))
    site = site.replace("listen 80;", f"listen {HOST}:{listen};")
    site = site.replace("/var/cache/nginx/broadsheet", str(folder / "cache"))
    (folder / "broadsheet.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n  access_log off;\n  {temp}\n  include {folder / 'broadsheet.conf'};\n"
        f"  {extra}\n}}\n"
    )
    # nginx's workers drop root for an unprivileged user and write the cache here.
    os.chmod(folder, 0o777)  # noqa: S103 - a throwaway folder of this run's own
    return main


def nginx_binary() -> str:
    """Debian's nginx, or '' when it is not installed."""
    import shutil

    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else ""
