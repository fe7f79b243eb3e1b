"""Liveness, readiness, metrics and request ids, as an operator's probes and scrapers see them."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from broadsheet.core.logs import JsonFormatter, RequestIdFilter
from broadsheet.discussion.tests.factories import ThreadFactory, post

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        answer = client.get("/healthz")
    assert (answer.status_code, answer.content) == (200, b"ok\n")


def test_readyz_checks_the_database_the_cache_and_the_migrations(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {"database": "ok", "cache": "ok", "migrations": "ok"}


def test_readyz_says_503_and_which_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1: the cache cannot be reached.
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["cache"] == "unreachable"
    assert answer.json()["database"] == "ok"


def test_metrics_show_latency_by_view_and_comments_by_verdict(client):
    client.get("/")
    post(ThreadFactory(), "A measured view of the harbour plan.")

    text = client.get("/metrics").content.decode()

    assert 'broadsheet_request_seconds_count{method="GET",view="newsroom:front"}' in text
    assert 'broadsheet_comments_posted_total{verdict="allow"}' in text
    assert 'broadsheet_moderation_queue{tab="pending"} 0.0' in text
    assert "broadsheet_task_backlog" in text
    assert "@" not in text  # no email, nothing personal


def test_metrics_are_refused_to_other_networks_without_the_token(settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    outsider = Client(REMOTE_ADDR="203.0.113.9")

    assert outsider.get("/metrics").status_code == 403
    assert outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    allowed = outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert allowed.status_code == 200


def test_every_answer_carries_a_request_id_and_a_proxys_is_kept(client):
    mine = client.get("/healthz")
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="edge-4f2a9c1b")
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="bad\r\nSet-Cookie: x=1")

    assert len(mine["X-Request-ID"]) == 32
    assert kept["X-Request-ID"] == "edge-4f2a9c1b"
    assert forged["X-Request-ID"] != "bad\r\nSet-Cookie: x=1" and len(forged["X-Request-ID"]) == 32


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord(
        "broadsheet", logging.WARNING, __file__, 1, "queue %s", ("full",), None
    )
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "queue full"
    assert line["level"] == "WARNING"
    assert line["request_id"] == ""
