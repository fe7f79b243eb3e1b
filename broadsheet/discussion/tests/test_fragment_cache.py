"""Anonymous readers' rendered comments are cached: never another reader's, never stale."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.test import Client, RequestFactory

from broadsheet.discussion import fragment_cache
from broadsheet.discussion.models import Comment
from broadsheet.discussion.section import discussion_section
from broadsheet.discussion.security import form_timestamp_read
from broadsheet.discussion.tests.embedding import EMBEDDING_URLS, page_thread, page_url
from broadsheet.discussion.tests.factories import ThreadFactory, big_thread, comment_form, post

pytestmark = pytest.mark.django_db


def _stale_html_plant(thread) -> None:
    """Store comment HTML under the key an anonymous reader's page reads, as an old release did."""
    request = RequestFactory().get(f"/comments/thread/{thread.pk}/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    key = discussion_section(request, thread=thread).cache_key
    assert key == fragment_cache.thread_html_key(
        thread=thread, sort="oldest", number=1, is_open=True
    )
    cache.set(key, "<p>STALE RELEASE HTML</p>", 300)


def test_a_new_release_never_serves_comment_html_cached_by_the_old_one(client, monkeypatch):
    thread = ThreadFactory(url="")
    post(thread, "Sound analysis of the tide tables.")
    url = f"/comments/thread/{thread.pk}/"
    assert "Sound analysis" in client.get(url).content.decode()
    _stale_html_plant(thread)
    assert "STALE RELEASE HTML" in client.get(url).content.decode()  # same release: cache hit

    monkeypatch.setattr(fragment_cache, "deploy_token", lambda: "next-release")
    html = client.get(url).content.decode()
    assert "STALE RELEASE HTML" not in html
    assert "Sound analysis" in html


def test_editing_a_discussion_template_changes_the_release_token(tmp_path):
    copy = tmp_path / "discussion"
    shutil.copytree(fragment_cache.TEMPLATES_DIR, copy)
    before = fragment_cache.release_token(copy)
    assert fragment_cache.release_token(copy) == before  # stable while nothing changes
    files = [*(f for f in copy.rglob("*") if f.is_file()), fragment_cache.RENDERER]
    newest = max(f.stat().st_mtime_ns for f in files)
    template = copy / "_thread_body.html"
    os.utime(template, ns=(newest + 5_000_000_000, newest + 5_000_000_000))
    assert fragment_cache.release_token(copy) != before


def test_cached_page_never_shows_one_readers_edit_links_to_another():
    thread = ThreadFactory(url="")
    author, stranger = Client(), Client()
    stranger.get(f"/comments/thread/{thread.pk}/")
    assert author.post("/comments/post/", comment_form(thread, "Mine to edit.")).status_code == 302
    comment = Comment.objects.get()
    edit = f"/comments/{comment.pk}/edit/"
    assert "Mine to edit." in stranger.get(f"/comments/thread/{thread.pk}/").content.decode()
    assert edit in author.get(f"/comments/thread/{thread.pk}/").content.decode()
    assert edit not in stranger.get(f"/comments/thread/{thread.pk}/").content.decode()
    assert edit not in Client().get(f"/comments/thread/{thread.pk}/").content.decode()


@pytest.mark.urls(EMBEDDING_URLS)
def test_cached_comments_hold_no_csrf_token_and_the_form_gets_a_fresh_one():
    thread = big_thread(5, thread=page_thread("tokens"))
    first = Client().get(page_url("tokens")).content.decode()
    second = Client().get(page_url("tokens")).content.decode()
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        for html in (first, second)
    ]
    assert tokens[0] != tokens[1]
    stamps = [re.search(r'name="rendered_at" value="([^"]+)"', h).group(1) for h in (first, second)]
    # Each form carries a genuine stamp of its own thread, signed as it was rendered.
    assert all(form_timestamp_read(stamp, thread_id=thread.pk) is not None for stamp in stamps)
