"""A hidden thread (its page taken down, or not yet live) answers as if it did not exist."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.security import comment_token
from broadsheet.discussion.selectors import comment_counts_for_keys, comment_counts_for_urls
from broadsheet.discussion.tests.factories import ThreadFactory, moderator, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden():
    """A thread with a comment, then hidden (its article taken down)."""
    thread = ThreadFactory()
    comment = post(thread, "Posted while the story was live.")
    Thread.objects.filter(pk=thread.pk).update(visible_from=None)
    thread.refresh_from_db()
    return thread, comment


def test_permalink_of_a_comment_in_a_hidden_thread_is_404(client, hidden):
    _thread, comment = hidden
    assert client.get(f"/comments/{comment.pk}/").status_code == 404


def test_permalink_in_a_scheduled_thread_is_404_until_it_opens(client):
    thread = ThreadFactory()
    comment = post(thread, "Early bird.")
    Thread.objects.filter(pk=thread.pk).update(visible_from=timezone.now() + timedelta(hours=1))
    assert client.get(f"/comments/{comment.pk}/").status_code == 404
    Thread.objects.filter(pk=thread.pk).update(visible_from=timezone.now())
    assert client.get(f"/comments/{comment.pk}/").status_code == 302


def test_moderators_still_follow_permalinks_into_hidden_threads(client, hidden):
    _thread, comment = hidden
    client.force_login(moderator())
    assert client.get(f"/comments/{comment.pk}/").status_code == 302


def test_author_cannot_edit_or_delete_in_a_hidden_thread(client, hidden):
    _thread, comment = hidden
    token = comment_token(comment.pk)
    assert client.get(f"/comments/{comment.pk}/edit/", {"token": token}).status_code == 404
    edit = client.post(f"/comments/{comment.pk}/edit/", {"token": token, "body": "Changed."})
    assert edit.status_code == 404
    delete = client.post(f"/comments/{comment.pk}/delete/", {"token": token})
    assert delete.status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Posted while the story was live."
    assert comment.status == Comment.Status.APPROVED


def test_counts_treat_a_hidden_thread_as_absent(hidden):
    thread, _comment = hidden
    live = ThreadFactory()
    post(live, "Counted.")
    assert comment_counts_for_keys([thread.key, live.key]) == {thread.key: 0, live.key: 1}
    assert comment_counts_for_urls([thread.url, live.url]) == {thread.url: 0, live.url: 1}


def test_api_edit_delete_and_report_in_a_hidden_thread_are_404(client, hidden):
    _thread, comment = hidden
    headers = {"HTTP_X_COMMENT_TOKEN": comment_token(comment.pk)}
    body = json.dumps({"body": "Changed."})
    patch = client.patch(
        f"/api/comments/{comment.pk}", body, content_type="application/json", **headers
    )
    assert patch.status_code == 404
    assert client.delete(f"/api/comments/{comment.pk}", **headers).status_code == 404
    report = client.post(
        f"/api/comments/{comment.pk}/report",
        json.dumps({"reason": "spam"}),
        content_type="application/json",
    )
    assert report.status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Posted while the story was live."


def test_hidden_thread_page_is_not_found():
    thread = ThreadFactory(url="")
    Thread.objects.filter(pk=thread.pk).update(visible_from=None)
    assert Client().get(f"/comments/thread/{thread.pk}/").status_code == 404
    Thread.objects.filter(pk=thread.pk).update(visible_from=timezone.now())
    assert Client().get(f"/comments/thread/{thread.pk}/").status_code == 200
