"""Rate limits hold across two gunicorn servers sharing Redis.

One reader posts through the real comment form, alternating between two app server processes
that share only Redis and the database; the limit counts across both.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from broadsheet.core.tests.servers import (
    HOST,
    NoRedirects,
    broadsheet_command,
    gunicorn_servers,
    server_env,
)

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMIT = 4
SETUP_SCRIPT = (
    "from broadsheet.discussion.services import thread_get_or_create;"
    "print(thread_get_or_create(key='ratelimit:two-servers', url='', title='Two servers').pk)"
)


@pytest.fixture
def site_env():
    from conftest import missing_service

    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means Redis is not there
        missing_service(f"Redis is not reachable at {REDIS_URL}: {exc}")
    with tempfile.TemporaryDirectory(prefix="broadsheet-two-servers-") as data_dir:
        env = server_env(
            data_dir=data_dir,
            drop={"DATABASE_URL"},
            SECRET_KEY=f"two-servers-{uuid.uuid4().hex}-not-for-production",
            REDIS_URL=REDIS_URL,
            # Count in Redis itself (not the database's fallback counters): the shared cache
            # is what this test is about.
            MODERATION_RATE_STORE="cache",
            CACHE_PREFIX=f"bs-test-{uuid.uuid4().hex[:12]}",
            TASKS_BACKEND="immediate",
            MODERATION_MIN_FORM_SECONDS="0",
            # The per-identity limit is the one under test: the per-IP one stays out of reach.
            MODERATION_RATE_PER_IDENTITY=f"{LIMIT}/3600",
            MODERATION_RATE_PER_IP="1000/3600",
            DEBUG="false",
            SITE_URL=f"http://{HOST}:8000",
            LOG_LEVEL="WARNING",
        )
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            broadsheet_command(env, *command, "-v", "0")
        out = broadsheet_command(env, "shell", "-c", SETUP_SCRIPT, timeout=60)
        env["_THREAD_ID"] = out.strip().splitlines()[-1]
        yield env


@pytest.fixture
def two_servers(site_env):
    with gunicorn_servers(site_env) as (ports, pids):
        yield ports, int(site_env["_THREAD_ID"]), pids


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
        assert re.search(
            r"You are commenting too quickly\. Please wait \d+ (seconds?|minutes) and try "
            r"again\. Your text has been kept\.",
            html,
        )
        assert "from a quick typist." in html  # the refused text comes back in the form
    assert {port for port, _, _ in results[LIMIT:]} == set(ports)

    with browser.open(url(ports[1], f"/comments/thread/{thread_id}/"), timeout=10) as page:
        html = page.read().decode()
    assert f"{LIMIT} responses to" in html
