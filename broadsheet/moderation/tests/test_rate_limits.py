"""Rate limits: fixed windows in the cache, retry_after, dry runs uncounted, shared by processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid

import pytest

from broadsheet.moderation import ratelimit
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
    assert "try again in" in last.reader_message()


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
