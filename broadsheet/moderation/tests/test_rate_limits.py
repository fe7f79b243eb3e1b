"""Rate limits: fixed windows (cache or database), retry_after, dry runs and edits uncounted."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured

from broadsheet.core import ratelimit
from broadsheet.core.models import RateCounter
from broadsheet.core.ratelimit import wait_words
from broadsheet.core.tests.servers import NOT_DEFAULT
from broadsheet.moderation.judge import judge
from broadsheet.moderation.tests.factories import submission
from broadsheet.moderation.verdicts import Decision

pytestmark = pytest.mark.django_db


def test_identity_over_the_limit_is_rejected_with_retry_after(settings):
    settings.MODERATION_RATE_PER_IDENTITY = ["3/60"]
    settings.MODERATION_RATE_PER_IP = ["100/60"]
    verdicts = [
        judge(
            submission(
                f"Comment number {i} on the ferry timetable changes.",
                author_email="fast@example.org",
            )
        )
        for i in range(4)
    ]
    assert [v.decision for v in verdicts] == ["allow", "allow", "allow", "reject"]
    last = verdicts[-1]
    assert 1 <= last.retry_after_seconds <= 60
    assert last.reasons[0].retry_after_seconds == last.retry_after_seconds
    assert last.reader_message() == (
        f"You are commenting too quickly. Please wait {wait_words(last.retry_after_seconds)} "
        "and try again. Your text has been kept."
    )


def test_ip_limit_applies_across_identities(settings):
    settings.MODERATION_RATE_PER_IP = ["2/60"]
    settings.MODERATION_RATE_PER_IDENTITY = ["100/60"]
    decisions = [
        judge(submission(f"Different reader {i} here.", ip_hash="shared-ip")).decision
        for i in range(3)
    ]
    assert decisions == ["allow", "allow", "reject"]


def test_dry_runs_are_not_counted(settings):
    settings.MODERATION_RATE_PER_IDENTITY = ["2/60"]
    for i in range(5):
        dry = submission(f"Trying my settings {i}.", author_email="dry@example.org", dry_run=True)
        assert judge(dry).decision == Decision.ALLOW
    real = submission("Now for real.", author_email="dry@example.org")
    assert judge(real).decision == Decision.ALLOW


def test_edits_are_neither_limited_nor_counted(settings):
    settings.MODERATION_RATE_PER_IDENTITY = ["2/60"]
    settings.MODERATION_RATE_PER_IP = ["2/60"]
    who = {"author_email": "editor@example.org", "ip_hash": "editor-ip"}
    assert judge(submission("My first comment on the bridge.", **who)).decision == "allow"
    for i in range(6):
        edit = submission(f"My first comment on the bridge, take {i}.", is_edit=True, **who)
        assert judge(edit).decision == Decision.ALLOW
    assert judge(submission("A second comment, later.", **who)).decision == "allow"
    third = judge(submission("A third comment, too soon.", **who))
    assert third.decision == Decision.REJECT and third.retry_after_seconds


def test_window_resets_and_retry_after_counts_down():
    first = ratelimit.hit("test:w", 1, 60, now=120.0)
    second = ratelimit.hit("test:w", 1, 60, now=150.5)
    next_window = ratelimit.hit("test:w", 1, 60, now=181.0)
    assert not first.exceeded
    assert second.exceeded and second.retry_after == 30
    assert not next_window.exceeded


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
WORKER = textwrap.dedent(
    """
    import os, sys, django
    os.environ["DJANGO_SETTINGS_MODULE"] = "broadsheet.config.settings_test"
    django.setup()
    from django.conf import settings
    settings.MODERATION_RATE_PER_IDENTITY = ["5/3600"]
    settings.MODERATION_RATE_PER_IP = ["1000/3600"]
    from broadsheet.moderation.rules import Context, RateLimitRule
    from broadsheet.moderation.verdicts import Submission
    rule = RateLimitRule()
    rejected = 0
    for i in range(5):
        s = Submission(text=f"comment {i}", author_email="shared@example.org")
        rejected += rule.check(s, Context(submission=s)) is not None
    print(rejected)
    """
)


@pytest.mark.redis
def test_rate_limits_hold_across_two_processes_sharing_redis(tmp_path):
    from conftest import missing_service

    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means Redis is not there
        missing_service(f"Redis is not reachable at {REDIS_URL}: {exc}")
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "CACHE_PREFIX": f"test-moderation-{uuid.uuid4().hex}",
        "DATA_DIR": str(tmp_path),
        "TASKS_BACKEND": "immediate",
    }
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    rejected = [int(w.communicate(timeout=60)[0].strip()) for w in workers]
    # Ten attempts against a shared limit of five: exactly five rejected between the two.
    assert sum(rejected) == 5


DATABASE_WORKER = textwrap.dedent(
    """
    import django
    django.setup()
    from django.conf import settings
    settings.MODERATION_RATE_PER_IDENTITY = ["10/3600"]
    settings.MODERATION_RATE_PER_IP = ["1000/3600"]
    from broadsheet.core import ratelimit
    from broadsheet.moderation.rules import Context, RateLimitRule
    from broadsheet.moderation.verdicts import Submission
    assert ratelimit.store_name() == "database", ratelimit.store_name()
    rule = RateLimitRule()
    rejected = 0
    for i in range(15):
        s = Submission(text=f"comment {i}", author_email="shared@example.org")
        # A fixed clock keeps both workers in one window whenever the test runs.
        rejected += rule.check(s, Context(submission=s, now=7200.0)) is not None
    print(rejected)
    """
)


def test_rate_limits_hold_across_two_processes_without_redis(tmp_path):
    # The default install: SQLite file, local-memory cache, several worker processes.
    env = {key: value for key, value in os.environ.items() if key not in NOT_DEFAULT}
    env.update(
        DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="broadsheet.config.settings_test",
        TASKS_BACKEND="immediate",
    )
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v0"],
        env=env,
        check=True,
        timeout=120,
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", DATABASE_WORKER], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=60)[0].strip() for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    # Thirty attempts against a shared limit of ten: exactly twenty rejected between the two.
    assert sum(int(out) for out in outputs) == 20


def test_store_follows_the_cache_unless_chosen(settings):
    settings.RATE_LIMIT_STORE = "auto"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(settings.DATA_DIR / "test-cache"),
        },
    }
    assert ratelimit.store_name() == "database"
    settings.RATE_LIMIT_CACHE = "shared"
    assert ratelimit.store_name() == "cache"
    settings.RATE_LIMIT_STORE = "database"
    assert ratelimit.store_name() == "database"
    settings.RATE_LIMIT_STORE = "Memcached"
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_STORE"):
        ratelimit.store_name()


@pytest.mark.parametrize("store", ["cache", "database"])
def test_both_stores_count_windows_and_dry_runs_alike(settings, store):
    settings.RATE_LIMIT_STORE = store
    assert [ratelimit.hit("test:s", 2, 60, now=600.0).count for _ in range(3)] == [1, 2, 3]
    assert ratelimit.hit("test:s", 2, 60, count=False, now=610.0).count == 4
    assert ratelimit.hit("test:s", 2, 60, now=610.0).count == 4
    assert ratelimit.hit("test:s", 2, 60, now=660.0).count == 1


def test_closed_database_windows_are_pruned(settings):
    settings.RATE_LIMIT_STORE = "database"
    ratelimit.hit("test:old", 5, 60, now=100.0)
    ratelimit.hit("test:new", 5, 60, now=1000.0)
    assert ratelimit.prune(now=1000.0) == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["rate:test:new:60"]
