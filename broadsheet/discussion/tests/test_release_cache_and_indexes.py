"""Cached comment HTML never outlives a release or a template edit; the indexes big threads need."""

from __future__ import annotations

import os
import shutil

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory

from broadsheet.discussion import display
from broadsheet.discussion.models import Comment
from broadsheet.discussion.tests.factories import ThreadFactory, post

pytestmark = pytest.mark.django_db


def _stale_html_plant(thread) -> None:
    """Store comment HTML under the key an anonymous reader's page reads, as an old release did."""
    request = RequestFactory().get(f"/comments/thread/{thread.pk}/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    key = display.discussion_section(request, thread=thread).cache_key
    assert key is not None
    cache.set(key, "<p>STALE RELEASE HTML</p>", 300)


def test_a_new_release_never_serves_comment_html_cached_by_the_old_one(client, monkeypatch):
    thread = ThreadFactory(url="")
    post(thread, "Sound analysis of the tide tables.")
    url = f"/comments/thread/{thread.pk}/"
    assert "Sound analysis" in client.get(url).content.decode()
    _stale_html_plant(thread)
    assert "STALE RELEASE HTML" in client.get(url).content.decode()  # same release: cache hit

    monkeypatch.setattr(display, "deploy_token", lambda: "next-release")
    html = client.get(url).content.decode()
    assert "STALE RELEASE HTML" not in html
    assert "Sound analysis" in html


def test_editing_a_discussion_template_changes_the_release_token(tmp_path):
    copy = tmp_path / "discussion"
    shutil.copytree(display.TEMPLATES_DIR, copy)
    before = display.release_token(copy)
    assert display.release_token(copy) == before  # stable while nothing changes
    newest = max(f.stat().st_mtime_ns for f in copy.rglob("*") if f.is_file())
    template = copy / "_comment.html"
    os.utime(template, ns=(newest + 5_000_000_000, newest + 5_000_000_000))
    assert display.release_token(copy) != before


def _indexes() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Comment._meta.db_table)
    return {name: info["columns"] for name, info in found.items() if info["index"]}


def test_comments_have_the_top_level_and_featured_indexes():
    indexes = _indexes()
    assert indexes["comment_top_level"] == ["thread_id", "depth", "path"]
    assert indexes["comment_featured"] == ["thread_id", "featured_at"]
