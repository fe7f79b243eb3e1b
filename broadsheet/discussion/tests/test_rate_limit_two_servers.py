"""Issue 4's acceptance test: rate limits hold across two gunicorn servers sharing Redis.

One reader posts through the real comment form, alternating between two app server processes
that share only Redis and the database; the limit counts across both.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
LIMIT = 4
# Every step has a deadline; the whole test stays well under a minute.
STARTUP_SECONDS = 30
SETUP_SCRIPT = (
    "from broadsheet.discussion.services import thread_get_or_create;"
    "print(thread_get_or_create(key='ratelimit:two-servers', url='', title='Two servers').pk)"
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_serving(port: int, process: subprocess.Popen, deadline: float) -> None:
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
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def site_env():
    from conftest import missing_service

    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means Redis is not there
        missing_service(f"Redis is not reachable at {REDIS_URL}: {exc}")
    with tempfile.TemporaryDirectory(prefix="broadsheet-two-servers-") as data_dir:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST"}
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings",
                "DATA_DIR": data_dir,
                "SECRET_KEY": f"two-servers-{uuid.uuid4().hex}-not-for-production",
                "REDIS_URL": REDIS_URL,
                # Count in Redis itself (not the database's fallback counters): the shared cache
                # is what this test is about.
                "MODERATION_RATE_STORE": "cache",
                "CACHE_PREFIX": f"bs-test-{uuid.uuid4().hex[:12]}",
                "TASKS_BACKEND": "immediate",
                "MODERATION_MIN_FORM_SECONDS": "0",
                # The per-identity limit is the one under test: the per-IP one stays out of reach.
                "MODERATION_RATE_PER_IDENTITY": f"{LIMIT}/3600",
                "MODERATION_RATE_PER_IP": "1000/3600",
                "DEBUG": "false",
                "SITE_URL": f"http://{HOST}:8000",
                "LOG_LEVEL": "WARNING",
            }
        )
        broadsheet = str(BIN / "broadsheet")
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            subprocess.run([broadsheet, *command, "-v", "0"], env=env, check=True, timeout=120)
        out = subprocess.run(
            [broadsheet, "shell", "-c", SETUP_SCRIPT],
            env=env,
            check=True,
            timeout=60,
            capture_output=True,
            text=True,
        )
        env["_THREAD_ID"] = out.stdout.strip().splitlines()[-1]
        yield env


@pytest.fixture
def two_servers(site_env):
    processes: list[subprocess.Popen] = []
    ports = [free_port(), free_port()]
    try:
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [
                        str(BIN / "gunicorn"),
                        "broadsheet.config.wsgi",
                        "--bind",
                        f"{HOST}:{port}",
                        "--workers",
                        "1",
                        "--log-level",
                        "warning",
                    ],
                    env=site_env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        for port, process in zip(ports, processes, strict=True):
            wait_until_serving(port, process, deadline)
        yield ports, int(site_env["_THREAD_ID"]), [p.pid for p in processes]
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


@pytest.mark.redis
def test_per_identity_limit_counts_across_two_app_servers(two_servers):
    ports, thread_id, pids = two_servers
    assert len(set(pids)) == 2
    # The limit counts in fixed hourly windows: never start a run seconds before one turns.
    if time.time() % 3600 > 3600 - 20:
        time.sleep(3600 - time.time() % 3600 + 1)
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)

    def url(port: int, path: str) -> str:
        return f"http://{HOST}:{port}{path}"

    # One reader, one browser: the CSRF cookie and token work on both servers (shared key).
    with browser.open(url(ports[0], f"/comments/thread/{thread_id}/"), timeout=10) as page:
        html = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    # The form's signed stamp, as a browser would send it back (forms without one are refused).
    stamp = re.search(r'name="rendered_at" value="([^"]+)"', html).group(1)

    def post(port: int, body: str) -> tuple[int, str]:
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "rendered_at": stamp,
                "thread": thread_id,
                "body": body,
                "author_name": "Rapid Reader",
                "author_email": "rapid@example.org",
            }
        ).encode()
        try:
            with browser.open(url(port, "/comments/post/"), data=data, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    results = []
    for n in range(LIMIT + 2):
        port = ports[n % 2]
        status, html = post(port, f"Thought number {n} from a quick typist.")
        results.append((port, status, html))

    accepted = [status for _, status, _ in results[:LIMIT]]
    assert accepted == [302] * LIMIT, [(p, s, h[:300]) for p, s, h in results[:LIMIT]]
    # Each server saw only half of the posts; the refusals prove the count is shared.
    for port, status, html in results[LIMIT:]:
        assert status == 400, (port, status)
        assert "You are commenting too quickly. Please wait" in html
        assert "before commenting again" in html
        assert "from a quick typist." in html  # the refused text comes back in the form
    assert {port for port, _, _ in results[LIMIT:]} == set(ports)

    with browser.open(url(ports[1], f"/comments/thread/{thread_id}/"), timeout=10) as page:
        html = page.read().decode()
    assert f"{LIMIT} responses to" in html
