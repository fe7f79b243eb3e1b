"""CORS on the JSON API: only the embedding origins in COMMENT_EMBED_ORIGINS may read or post."""

from __future__ import annotations

import json

import pytest

from broadsheet.discussion.tests.factories import ThreadFactory

pytestmark = pytest.mark.django_db

ALLOWED = "https://blog.example.net"
FOREIGN = "https://evil.example"


@pytest.fixture(autouse=True)
def embed_origins(settings):
    settings.COMMENT_EMBED_ORIGINS = [ALLOWED, "http://127.0.0.1:8123"]


def preflight(client, origin: str, method: str = "POST"):
    return client.options(
        "/api/comments",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, x-comment-token",
    )


def test_preflight_from_an_allowed_origin_allows_json_posts_and_the_token_header(client):
    response = preflight(client, ALLOWED)
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "PATCH" in response["Access-Control-Allow-Methods"]
    assert "DELETE" in response["Access-Control-Allow-Methods"]
    allowed_headers = response["Access-Control-Allow-Headers"].lower()
    assert "content-type" in allowed_headers and "x-comment-token" in allowed_headers
    assert "Access-Control-Allow-Credentials" not in response


def test_preflight_matches_origins_by_scheme_host_and_port(client):
    assert preflight(client, "http://127.0.0.1:8123")["Access-Control-Allow-Origin"]
    assert "Access-Control-Allow-Origin" not in preflight(client, "http://127.0.0.1:8124")
    assert "Access-Control-Allow-Origin" not in preflight(client, "http://blog.example.net")


def test_preflight_from_a_foreign_origin_gets_no_cors_headers(client):
    response = preflight(client, FOREIGN)
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Methods" not in response


def test_reads_carry_cors_headers_for_allowed_origins_only(client):
    thread = ThreadFactory()
    allowed = client.get("/api/threads", {"key": thread.key}, HTTP_ORIGIN=ALLOWED)
    foreign = client.get("/api/threads", {"key": thread.key}, HTTP_ORIGIN=FOREIGN)
    plain = client.get("/api/counts", {"key": thread.key})

    assert allowed["Access-Control-Allow-Origin"] == ALLOWED
    assert "Access-Control-Allow-Origin" not in foreign
    assert "Access-Control-Allow-Origin" not in plain
    assert "Origin" in allowed["Vary"] and "Origin" in plain["Vary"]


def test_errors_carry_cors_headers_so_the_widget_can_show_them(client):
    thread = ThreadFactory()
    response = client.post(
        "/api/comments",
        json.dumps({"key": thread.key, "body": ""}),
        content_type="application/json",
        HTTP_ORIGIN=ALLOWED,
    )
    assert response.status_code == 422
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert "Retry-After" in response["Access-Control-Expose-Headers"]


def test_posts_from_a_foreign_origin_are_refused_without_cors_headers(client):
    thread = ThreadFactory()
    response = client.post(
        "/api/comments",
        json.dumps({"key": thread.key, "body": "Hi", "author_name": "A", "author_email": "a@b.c"}),
        content_type="application/json",
        HTTP_ORIGIN=FOREIGN,
    )
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
