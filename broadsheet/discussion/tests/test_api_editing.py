"""Editing and deleting through the JSON API, with the token the author was given."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.discussion.tests.api_client import (
    api_patch,
    api_posted,
    ids,
)
from broadsheet.discussion.tests.factories import (
    ThreadFactory,
    post,
)

pytestmark = pytest.mark.django_db


def test_author_edits_with_the_token(client):
    thread = ThreadFactory()
    comment_id, token = api_posted(client, thread, body="Frist.")
    response = api_patch(client, comment_id, {"body": "First, I meant."}, token)

    assert response.status_code == 200
    assert response.json()["body"] == "First, I meant."
    assert response.json()["edited_at"]
    page = client.get("/api/threads", {"key": thread.key}).json()
    assert "First, I meant." in page["comments"][0]["body_html"]


def test_edit_without_or_with_a_wrong_token_is_403(client):
    thread = ThreadFactory()
    comment_id, _token = api_posted(client, thread)
    other_id, other_token = api_posted(client, thread, body="Another.")

    assert api_patch(client, comment_id, {"body": "Hijack."}).status_code == 403
    forged = api_patch(client, comment_id, {"body": "Hijack."}, other_token)
    assert forged.status_code == 403
    assert "token" in forged.json()["errors"]
    assert Comment.objects.get(pk=comment_id).body == "Thoughtful words about the story."


def test_edit_after_the_window_is_refused_naming_body(client, settings):
    thread = ThreadFactory()
    comment_id, token = api_posted(client, thread)
    Comment.objects.filter(pk=comment_id).update(
        created_at=timezone.now() - timedelta(minutes=settings.COMMENT_EDIT_MINUTES + 1)
    )
    response = api_patch(client, comment_id, {"body": "Too late."}, token)
    assert response.status_code == 422
    assert "minutes" in response.json()["errors"]["body"][0]


def test_empty_edit_is_refused_naming_body(client):
    thread = ThreadFactory()
    comment_id, token = api_posted(client, thread)
    response = api_patch(client, comment_id, {"body": ""}, token)
    assert response.status_code == 422
    assert response.json()["errors"]["body"] == ["Please write a comment."]


def test_editing_a_missing_comment_is_404(client):
    assert api_patch(client, 424242, {"body": "Hello."}, "token").status_code == 404


def test_author_deletes_with_the_token_and_the_comment_disappears(client):
    thread = ThreadFactory()
    comment_id, token = api_posted(client, thread)

    assert client.delete(f"/api/comments/{comment_id}").status_code == 403
    response = client.delete(f"/api/comments/{comment_id}", HTTP_X_COMMENT_TOKEN=token)

    assert response.status_code == 204
    page = client.get("/api/threads", {"key": thread.key}).json()
    assert page["comments"] == []
    assert page["thread"]["comment_count"] == 0


def test_deleted_comment_with_replies_stays_as_a_tombstone_keeping_them(client):
    thread = ThreadFactory()
    comment_id, token = api_posted(client, thread, body="Secret words.")
    reply = post(thread, "A reply that stays.", parent=Comment.objects.get(pk=comment_id))

    client.delete(f"/api/comments/{comment_id}", HTTP_X_COMMENT_TOKEN=token)

    page = client.get("/api/threads", {"key": thread.key})
    tombstone = page.json()["comments"][0]
    assert tombstone["status"] == "deleted"
    assert tombstone["author"] is None
    assert tombstone["body_html"] == ""
    assert ids(tombstone["replies"]) == [reply.pk]
    assert b"Secret words" not in page.content
    assert b"Mira Quell" not in page.content
