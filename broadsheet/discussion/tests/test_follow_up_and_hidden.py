"""Telling a guest to confirm notifications, and hidden threads answering as if absent."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.security import comment_token, form_timestamp_sign
from broadsheet.discussion.selectors import comment_counts_for_keys, comment_counts_for_urls
from broadsheet.discussion.tests.factories import ThreadFactory, moderator, post
from broadsheet.newsroom.models import Article

pytestmark = pytest.mark.django_db

CONFIRM_NOTICE = "Check your inbox to confirm follow-up notifications"


def guest_form(thread: Thread, **fields) -> dict:
    data = {
        "thread": thread.pk,
        "rendered_at": form_timestamp_sign(time.time() - 60, thread_id=thread.pk),
        "author_name": "Tobias Lund",
        "author_email": "tobias@example.org",
        "body": "Will the ferry timetable change too?",
    }
    data.update(fields)
    return data


def test_guest_who_asks_for_notifications_is_told_to_check_their_inbox(
    client, django_capture_on_commit_callbacks
):
    thread = ThreadFactory(url="")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/comments/post/", guest_form(thread, notify="on"), follow=True)
    assert response.status_code == 200
    assert CONFIRM_NOTICE in response.content.decode()
    assert len(mail.outbox) == 1  # the confirmation link the notice talks about


def test_no_inbox_notice_without_notify_or_on_a_double_submit(client):
    thread = ThreadFactory(url="")
    page = client.post(
        "/comments/post/", guest_form(thread), follow=True, REMOTE_ADDR="10.78.0.1"
    ).content.decode()
    assert CONFIRM_NOTICE not in page
    other = ThreadFactory(url="")
    form = guest_form(other, notify="on", body="A different question.")
    first = client.post("/comments/post/", form, REMOTE_ADDR="10.78.0.2")
    assert "confirm=1" in first["Location"]
    again = client.post("/comments/post/", form, REMOTE_ADDR="10.78.0.3")
    assert again.status_code == 302, again.content.decode()
    assert "confirm=1" not in again["Location"]
    assert Comment.objects.filter(thread=other).count() == 1


def test_api_answer_says_a_confirmation_is_pending(client):
    thread = ThreadFactory()
    payload = {
        "key": thread.key,
        "body": "Please keep me posted on this.",
        "author_name": "Tobias Lund",
        "author_email": "tobias@example.org",
        "notify": True,
    }
    body = json.dumps(payload)
    first = client.post(
        "/api/comments", body, content_type="application/json", REMOTE_ADDR="10.77.0.1"
    )
    assert first.status_code in (201, 202)
    assert first.json()["subscription_pending"] is True
    again = client.post(
        "/api/comments", body, content_type="application/json", REMOTE_ADDR="10.77.0.1"
    )
    assert again.json()["subscription_pending"] is False


# Hidden threads --------------------------------------------------------------------------------


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


def test_staff_preview_of_an_unpublished_article_shows_no_discussion(client):
    from broadsheet.discussion.tests.factories import editor

    article = Article.objects.create(headline="Embargoed budget story", slug="budget")
    client.force_login(editor())
    response = client.get(f"/preview/{article.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Embargoed budget story" in html
    assert 'id="commentform"' not in html
    assert "The discussion appears here once the article is published." in html


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
