"""Two app servers behind one nginx, configured as deploy/nginx/broadsheet.conf says, sharing
PostgreSQL (through a connection pool, with the replica router on) and Redis.

Whichever server answers, a reader sees the same pages, keeps their session, is counted by
the same rate limits, and sees their own comment at once; anonymous copies are shared, held
by nginx, revalidated with their ETag, and new after a comment on both servers.
"""

# Every URL here is built by the test for 127.0.0.1.
# ruff: noqa: S310

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from broadsheet.core.tests.servers import (
    HOST,
    NOT_DEFAULT,
    NoRedirects,
    broadsheet_command,
    free_port,
    gunicorn_servers,
    nginx_binary,
    nginx_conf,
    server_env,
    wait_until_serving,
)

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMIT = 4
SETUP_SCRIPT = """
from broadsheet.newsroom.services import article_create, article_publish
article = article_create(headline="Ferry timetable restored", body="Sailings resume.", slug="ferry")
print(article_publish(article=article).get_absolute_url())
"""


def _require_services() -> str:
    from conftest import missing_service

    nginx = nginx_binary()
    if not nginx:
        missing_service("nginx is not installed (make test installs Debian's package)")
    try:
        import psycopg
        import redis

        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means a service is missing
        missing_service(f"PostgreSQL or Redis is not reachable: {exc}")
    return nginx


@pytest.fixture
def database_url():
    import psycopg

    name = f"bs_scaleout_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def site():
    nginx = _require_services()
    with tempfile.TemporaryDirectory(prefix="broadsheet-scale-out-") as folder:
        yield nginx, Path(folder)


@pytest.mark.redis
def test_two_app_servers_behind_nginx_agree_on_everything(site, database_url):
    nginx, folder = site
    env = server_env(
        data_dir=str(folder / "data"),
        drop=NOT_DEFAULT,
        SECRET_KEY=f"scale-out-{uuid.uuid4().hex}-not-for-production",
        DATABASE_URL=database_url,
        DATABASE_POOL_MAX="4",
        DATABASE_REPLICA_URL=database_url,
        REDIS_URL=REDIS_URL,
        CACHE_PREFIX=f"bs-scale-{uuid.uuid4().hex[:12]}",
        TASKS_BACKEND="immediate",
        MODERATION_MIN_FORM_SECONDS="0",
        MODERATION_RATE_PER_IDENTITY=f"{LIMIT}/3600",
        MODERATION_RATE_PER_IP="1000/3600",
        PAGE_CACHE_S_MAXAGE="1",
        TRUSTED_PROXY_COUNT="1",
        DEBUG="false",
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"http://{HOST}:8000",
        LOG_LEVEL="WARNING",
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        broadsheet_command(env, *command, "-v", "0")
    article_url = broadsheet_command(env, "shell", "-c", SETUP_SCRIPT).strip().splitlines()[-1]
    # The hourly rate-limit window must not turn during the test.
    if time.time() % 3600 > 3600 - 30:
        time.sleep(3600 - time.time() % 3600 + 1)

    with gunicorn_servers(env) as (ports, pids):
        listen = free_port()
        proxy = subprocess.Popen(
            [nginx, "-c", str(nginx_conf(folder, ports, listen)), "-p", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_serving(listen, proxy, time.monotonic() + 20)
            _check_the_site(ports, listen, article_url)
        finally:
            proxy.terminate()  # only the nginx this test started, by its own handle
            proxy.wait(timeout=15)


def _check_the_site(ports: list[int], listen: int, article_url: str) -> None:
    front = f"http://{HOST}:{listen}"
    anonymous = urllib.request.build_opener(NoRedirects)

    def get(url: str, opener=anonymous, **headers: str):
        return fetch(opener, urllib.request.Request(url, headers={"Host": HOST, **headers}))

    # Anonymous copies: the same bytes and ETag from either server; nginx keeps the page.
    answers = [get(f"http://{HOST}:{port}{article_url}") for port in ports]
    assert [a[0] for a in answers] == [200, 200]
    assert answers[0][1]["ETag"] == answers[1][1]["ETag"]
    assert answers[0][2] == answers[1][2]
    etag = answers[0][1]["ETag"]
    statuses = [get(front + article_url)[1].get("X-Cache") for _ in range(3)]
    assert statuses[-1] == "HIT", statuses
    for port in ports:
        assert get(f"http://{HOST}:{port}{article_url}", **{"If-None-Match": etag})[0] == 304
    assert get(front + article_url, **{"If-None-Match": etag})[0] == 304

    # A guest writes through nginx: form token, post, then sees their comment at once.
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)
    html = get(front + article_url, browser)[2]
    thread_id = found(r'name="thread" value="(\d+)"', html)
    token = json_get(browser, f"{front}/comments/form-token/?thread={thread_id}")

    def post(body: str, url: str = front) -> tuple[int, dict, str]:
        data = urllib.parse.urlencode(
            {
                **token,
                "thread": thread_id,
                "body": body,
                "author_name": "Ines Quay",
                "author_email": "ines@example.org",
            }
        ).encode()
        request = urllib.request.Request(
            f"{url}/comments/post/", data=data, headers={"Host": HOST, "Origin": f"http://{HOST}"}
        )
        return fetch(browser, request)

    first = "The first sailing was full of cyclists."
    status, headers, _ = post(first)
    assert status == 302, status
    location = urllib.parse.urljoin(front, headers["Location"])
    status, headers, html = get(location, browser)
    assert status == 200 and first in html
    assert headers.get("X-Cache") == "BYPASS"

    # Both servers answer the old ETag with the new page; nginx catches up within s-maxage.
    for port in ports:
        status, _, html = get(f"http://{HOST}:{port}{article_url}", **{"If-None-Match": etag})
        assert status == 200 and first in html
    deadline = time.monotonic() + 10
    while first not in get(front + article_url)[2]:
        assert time.monotonic() < deadline, "nginx kept the old page past s-maxage"
        time.sleep(0.5)

    # The session is the same on both servers: the author's edit page opens on each.
    comment_id = found(r"#comment-(\d+)", location)
    for port in ports:
        status, _, html = get(f"http://{HOST}:{port}/comments/{comment_id}/edit/", browser)
        assert status == 200 and first in html

    # The rate limit counts across both servers: LIMIT posts, then a refusal on each.
    results = [
        post(f"Another note, number {n}.", f"http://{HOST}:{ports[n % 2]}")
        for n in range(1, LIMIT + 2)
    ]
    assert [r[0] for r in results[: LIMIT - 1]] == [302] * (LIMIT - 1)
    for status, _, html in results[LIMIT - 1 :]:
        assert status == 400
        assert "You are commenting too quickly" in html


def fetch(opener, request: urllib.request.Request) -> tuple[int, dict, str]:
    """(status, headers, body) of a request, error statuses included, redirects not followed."""
    try:
        response = opener.open(request, timeout=10)
    except urllib.error.HTTPError as exc:
        response = exc
    with response:
        return response.status, dict(response.headers), response.read().decode()


def found(pattern: str, text: str) -> str:
    """The first group of pattern in text; fail the test if it is not there."""
    match = re.search(pattern, text)
    assert match is not None, f"{pattern!r} not in {text[:300]!r}"
    return match.group(1)


def json_get(opener, url: str) -> dict:
    import json

    status, _, body = fetch(opener, urllib.request.Request(url, headers={"Host": HOST}))
    assert status == 200, (url, status)
    return json.loads(body)
