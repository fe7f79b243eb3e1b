"""The API's thread pages as every anonymous caller shares them, with validators for caches."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.discussion.tests.factories import ThreadFactory, post

pytestmark = pytest.mark.django_db


def test_an_anonymous_thread_read_is_shared_and_revalidated():
    thread = ThreadFactory()
    post(thread, "The first word on the harbour wall.")
    url = f"/api/threads?key={thread.key}"

    first, second = Client().get(url), Client().get(url)
    unchanged = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first["Cache-Control"].startswith("public, max-age=0, must-revalidate, s-maxage=")
    assert not first.cookies and "Cookie" not in first.get("Vary", "")
    assert (unchanged.status_code, unchanged.content) == (304, b"")

    post(thread, "A second word, after the first was cached.")
    changed = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert changed.status_code == 200
    assert (
        "A second word, after the first was cached." in changed.json()["comments"][-1]["body_html"]
    )


def test_a_caller_with_a_token_or_a_session_gets_a_private_answer():
    thread = ThreadFactory()
    url = f"/api/threads?key={thread.key}"

    with_token = Client().get(url, HTTP_AUTHORIZATION="Bearer abc")
    with_session = Client()
    with_session.cookies["sessionid"] = "x"

    assert with_token["Cache-Control"] == "private, no-cache"
    assert with_session.get(url)["Cache-Control"] == "private, no-cache"
