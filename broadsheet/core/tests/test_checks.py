"""Core's settings checks: the task backend and the rate limiter's store."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from broadsheet.config import env
from broadsheet.core import checks


def messages(found) -> list[tuple[str, str]]:
    return [(message.id, message.msg) for message in found]


def test_the_test_settings_pass():
    assert checks.check_tasks_backend() == []
    assert checks.check_rate_limit_store() == []


def test_an_unknown_task_backend_is_named(settings):
    settings.TASKS_BACKEND = "reddis"
    assert messages(checks.check_tasks_backend()) == [
        ("core.E001", "TASKS_BACKEND must be database, rq or immediate, not 'reddis'.")
    ]


def test_rq_without_redis_is_an_error(settings):
    settings.TASKS_BACKEND = "rq"
    settings.REDIS_URL = ""
    assert messages(checks.check_tasks_backend()) == [
        ("core.E002", "TASKS_BACKEND=rq needs REDIS_URL: RQ keeps its queue in Redis.")
    ]


def test_a_backend_that_cannot_be_imported_is_an_error(settings):
    settings.TASKS = {"default": {"BACKEND": "no_such_package.Backend"}}
    found = messages(checks.check_tasks_backend())
    assert len(found) == 1 and found[0][0] == "core.E003"
    assert found[0][1].startswith("TASKS_BACKEND=immediate: cannot import no_such_package.Backend")


def test_rate_limit_cache_and_store_are_checked(settings):
    settings.RATE_LIMIT_CACHE = "shared"
    assert messages(checks.check_rate_limit_store()) == [
        ("core.E004", "RATE_LIMIT_CACHE names no configured cache: 'shared'.")
    ]
    settings.RATE_LIMIT_CACHE = "default"
    settings.RATE_LIMIT_STORE = "memcached"
    assert messages(checks.check_rate_limit_store()) == [
        ("core.E005", "RATE_LIMIT_STORE must be auto, cache or database, not 'memcached'.")
    ]


def test_number_variables_are_read_as_numbers(monkeypatch):
    monkeypatch.setenv("SOME_SCORE", "0.25")
    assert env.env_float("SOME_SCORE", 1.0) == 0.25
    monkeypatch.setenv("SOME_SCORE", "high")
    with pytest.raises(ImproperlyConfigured, match="SOME_SCORE must be a number, not 'high'"):
        env.env_float("SOME_SCORE", 1.0)
    monkeypatch.setenv("SOME_SCORES", "toxic=0.5,threat=lots")
    with pytest.raises(ImproperlyConfigured, match="SOME_SCORES items must look like toxic=0.5"):
        env.env_scores("SOME_SCORES", {})
