"""The sign-in limit holds across two gunicorn workers on SQLite.

The default set-up (a SQLite file, the local-memory cache, no Redis): two app server processes
share only the database, and failed sign-ins sent to them in turn count against one limit.
"""

from __future__ import annotations

import http.cookiejar
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from broadsheet.core.ratelimit import too_fast_message
from broadsheet.core.tests.servers import (
    HOST,
    NOT_DEFAULT,
    NoRedirects,
    broadsheet_command,
    gunicorn_servers,
    server_env,
)

LIMIT = 4
WINDOW = 3600
PASSWORD = "harbour-lights-2931"
SETUP_SCRIPT = (
    "from broadsheet.accounts.services import user_register;"
    f"user_register(username='tomas', email='tomas@example.org', password='{PASSWORD}')"
)


@pytest.fixture
def site_env():
    with tempfile.TemporaryDirectory(prefix="broadsheet-two-workers-") as data_dir:
        env = server_env(
            data_dir=data_dir,
            drop=NOT_DEFAULT,
            SECRET_KEY=f"two-workers-{uuid.uuid4().hex}-not-for-production",
            TASKS_BACKEND="immediate",
            ACCOUNT_RATE_LOGIN=f"{LIMIT}/{WINDOW}",
            # Served without collected static files: the refusal page is what is under test.
            DEBUG="true",
            LOG_LEVEL="WARNING",
        )
        broadsheet_command(env, "migrate", "--noinput", "-v", "0")
        broadsheet_command(env, "shell", "-c", SETUP_SCRIPT, timeout=60)
        yield env


@pytest.fixture
def two_workers(site_env):
    with gunicorn_servers(site_env) as servers:
        yield servers


def test_sign_in_limit_counts_across_two_gunicorn_workers(two_workers):
    ports, pids = two_workers
    assert len(set(pids)) == 2
    # Fixed hourly windows: never start a run seconds before one turns.
    if time.time() % WINDOW > WINDOW - 20:
        time.sleep(WINDOW - time.time() % WINDOW + 1)
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)

    def url(port: int) -> str:
        return f"http://{HOST}:{port}/accounts/login/"

    # One browser: its CSRF cookie and token work on both workers (one SECRET_KEY).
    with browser.open(url(ports[0]), timeout=10) as page:
        html = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def sign_in(port: int, password: str) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "tomas", "password": password}
        ).encode()
        try:
            with browser.open(url(port), data=data, timeout=10) as response:
                return (
                    response.status,
                    response.headers.get("Retry-After", ""),
                    response.read().decode(),
                )
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Retry-After", ""), exc.read().decode()

    # Each worker sees only half of the failed attempts.
    failures = [sign_in(ports[n % 2], "not-it")[0] for n in range(LIMIT)]
    assert failures == [400] * LIMIT

    # Past the limit, even the right password is refused, by either worker.
    for port in ports:
        status, retry_after, html = sign_in(port, PASSWORD)
        assert status == 429, (port, status)
        assert 1 <= int(retry_after) <= WINDOW
        message = too_fast_message(doing="trying to sign in", retry_after=int(retry_after))
        assert message.startswith("You are trying to sign in too quickly. Please wait ")
        assert f'<div class="form-errors" role="alert"><p>{message}</p></div>' in html
        assert 'value="tomas"' in html
    assert "sessionid" not in {cookie.name for cookie in jar}
