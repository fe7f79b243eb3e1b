"""Input no database can hold, and digits int() refuses: a field error, never a server error."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from broadsheet.discussion.models import Comment
from broadsheet.discussion.tests.factories import ThreadFactory, comment_form, moderator, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("parent", [str(2**63), 2**64, "²", "１２", "-3", "0"])
def test_an_impossible_parent_id_is_a_field_error(parent):
    with pytest.raises(ValidationError) as exc:
        post(ThreadFactory(), "A reply to nothing.", parent=parent)
    assert "does not exist" in exc.value.message_dict["parent"][0]


def test_the_queue_refuses_impossible_ids_without_a_server_error(client):
    comment = post(ThreadFactory(), "Waiting.")
    client.force_login(moderator())
    for act in ("approve:²", f"approve:{2**64}"):
        response = client.post("/moderation/act/", {"act": act}, follow=True)
        assert response.redirect_chain == [("/moderation/?tab=pending", 303)]
        assert "Choose an action for a comment." in response.content.decode()
    response = client.post(
        "/moderation/act/", {"bulk": "reject", "ids": ["²", str(2**70)]}, follow=True
    )
    assert response.redirect_chain == [("/moderation/?tab=pending", 303)]
    assert "Select at least one comment." in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_an_email_longer_than_254_characters_is_a_field_error(client):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example.org"
    assert len(email) > 254
    with pytest.raises(ValidationError) as exc:
        post(ThreadFactory(), "Long address.", email=email)
    assert "254" in exc.value.message_dict["author_email"][0]

    thread = ThreadFactory()
    body = {"key": thread.key, "body": "Via the API.", "author_name": "Long", "author_email": email}
    response = client.post(
        "/api/comments", json.dumps(body), content_type="application/json", REMOTE_ADDR="10.7.7.7"
    )
    assert response.status_code == 422
    assert "author_email" in response.json()["errors"]
    assert Comment.objects.count() == 0


ODD = ["²", "-1", "0", "abc", "9" * 40, "1e3", " 1", "١"]


@pytest.mark.parametrize("value", ODD)
def test_odd_query_parameters_never_break_the_page(value):
    thread = ThreadFactory(url="")
    post(thread, "Still here.")
    client = Client()
    for name in ("held", "replytocom", "page", "sort"):
        response = client.get(f"/comments/thread/{thread.pk}/", {name: value})
        assert response.status_code == 200, (name, value)
        assert "Still here." in response.content.decode()


@pytest.mark.parametrize("value", ODD)
def test_odd_thread_and_parent_fields_are_client_errors(value):
    thread = ThreadFactory(url="")
    client = Client()
    response = client.post("/comments/post/", comment_form(thread, thread=value))
    assert response.status_code == 400
    assert response.content.decode() == "This form does not name a discussion."
    response = client.post("/comments/post/", comment_form(thread, "My reply, kept.", parent=value))
    assert response.status_code == 400
    assert "My reply, kept." in response.content.decode()
    assert not Comment.objects.exists()
