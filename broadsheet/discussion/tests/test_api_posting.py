"""Posting through the JSON API: comments, replies, pages elsewhere, and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.core.ratelimit import wait_words
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.security import comment_token_valid
from broadsheet.discussion.tests.api_client import (
    EMBEDDER,
    api_patch,
    api_post,
    guest,
    ids,
)
from broadsheet.discussion.tests.factories import (
    ThreadFactory,
    UserFactory,
    post,
)

pytestmark = pytest.mark.django_db


def test_posting_a_comment_answers_201_with_the_comment_and_a_token(client):
    thread = ThreadFactory()
    response = api_post(client, guest(key=thread.key, body="I was *there*."))

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "approved"
    assert comment_token_valid(data["comment"]["id"], data["token"])
    assert data["comment"]["body"] == "I was *there*."
    assert "<em>there</em>" in data["comment"]["body_html"]
    assert data["comment"]["author"]["name"] == "Mira Quell"
    page = client.get("/api/threads", {"key": thread.key}).json()
    assert ids(page["comments"]) == [data["comment"]["id"]]


def test_replying_through_parent_places_the_reply_under_it(client):
    thread = ThreadFactory()
    parent = post(thread, "Start here.")
    response = api_post(client, guest(key=thread.key, parent=parent.pk, body="Replying."))

    assert response.status_code == 201
    assert response.json()["comment"]["parent_id"] == parent.pk
    page = client.get("/api/threads", {"key": thread.key}).json()
    assert ids(page["comments"][0]["replies"]) == [response.json()["comment"]["id"]]


def test_bad_input_is_refused_with_errors_naming_each_field_and_nothing_stored(client):
    thread = ThreadFactory()
    response = api_post(
        client, {"key": thread.key, "body": "  ", "author_name": "", "author_email": "nope"}
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"body", "author_name", "author_email"}
    assert errors["body"] == ["Please write a comment."]
    assert not Comment.objects.exists()


def test_too_long_body_is_refused_with_the_limit(client, settings):
    settings.COMMENT_MAX_LENGTH = 20
    thread = ThreadFactory()
    response = api_post(client, guest(key=thread.key, body="x" * 21))
    assert response.status_code == 422
    assert "limit is 20" in response.json()["errors"]["body"][0]


def test_wrong_types_are_refused_naming_the_field(client):
    thread = ThreadFactory()
    response = api_post(client, guest(key=thread.key, parent="first", notify="maybe"))
    assert response.status_code == 422
    assert {"parent", "notify"} <= set(response.json()["errors"])


def test_missing_body_field_is_refused_naming_it(client):
    thread = ThreadFactory()
    payload = guest(key=thread.key)
    del payload["body"]
    response = api_post(client, payload)
    assert response.status_code == 422
    assert "body" in response.json()["errors"]


def test_malformed_json_is_400_with_a_clear_message(client):
    thread = ThreadFactory()
    response = api_post(client, '{"key": "' + thread.key + '", "body": "unfinished')
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]


def test_a_json_array_is_refused_as_not_an_object(client):
    response = api_post(client, "[1, 2]")
    assert response.status_code == 400
    assert response.json()["errors"]["request"] == ["The request body must be a JSON object."]


def test_form_encoded_posts_are_refused_as_415(client):
    thread = ThreadFactory()
    response = client.post("/api/comments", {"key": thread.key, "body": "Form post."})
    assert response.status_code == 415
    assert not Comment.objects.exists()


def test_posting_to_an_unknown_key_is_404(client):
    response = api_post(client, guest(key="nothing-here"))
    assert response.status_code == 404


def test_posting_to_a_closed_thread_is_403_naming_the_thread(client):
    thread = ThreadFactory(is_closed=True)
    response = api_post(client, guest(key=thread.key))
    assert response.status_code == 403
    assert response.json()["errors"]["thread"] == ["Comments are closed on this page."]
    assert not Comment.objects.exists()


def test_thread_past_its_closing_time_is_closed(client):
    thread = ThreadFactory(closes_at=timezone.now() - timedelta(minutes=1))
    assert api_post(client, guest(key=thread.key)).status_code == 403
    assert client.get("/api/threads", {"key": thread.key}).json()["thread"]["is_open"] is False


def test_reply_to_a_comment_of_another_thread_is_refused_naming_parent(client):
    thread, other = ThreadFactory(), ThreadFactory()
    foreign = post(other, "Elsewhere.")
    response = api_post(client, guest(key=thread.key, parent=foreign.pk))
    assert response.status_code == 422
    assert "another discussion" in response.json()["errors"]["parent"][0]


def test_reply_to_a_missing_comment_is_refused_naming_parent(client):
    thread = ThreadFactory()
    response = api_post(client, guest(key=thread.key, parent=987654))
    assert response.status_code == 422
    assert "parent" in response.json()["errors"]


def test_held_comment_answers_202_pending_and_stays_out_of_the_thread(client, settings):
    settings.MODERATION_HOLD_FIRST_COMMENT = True
    thread = ThreadFactory()
    response = api_post(client, guest(key=thread.key))

    assert response.status_code == 202
    data = response.json()
    assert data["status"] == "pending"
    assert data["message"] == (
        "Thank you. Your comment will appear once a moderator has reviewed it."
    )
    assert comment_token_valid(data["comment"]["id"], data["token"])
    assert client.get("/api/threads", {"key": thread.key}).json()["comments"] == []


def test_posting_too_fast_is_429_with_retry_after(client, settings):
    # An hourly window: a one-minute window could roll over between the two posts.
    settings.MODERATION_RATE_PER_IP = ["1/3600"]
    thread = ThreadFactory()
    address = {"REMOTE_ADDR": "10.200.0.1"}
    assert api_post(client, guest(key=thread.key, body="One."), **address).status_code == 201
    response = api_post(client, guest(key=thread.key, body="Two."), **address)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert response.json()["retry_after"] == int(response["Retry-After"])
    assert response.json()["errors"]["body"] == [
        f"You are commenting too quickly. Please wait {wait_words(int(response['Retry-After']))} "
        "and try again. Your text has been kept."
    ]


def test_double_submit_stores_one_comment_and_hands_out_the_token_once(client):
    thread = ThreadFactory()
    payload = guest(key=thread.key, body="Clicked twice.")
    first = api_post(client, payload, REMOTE_ADDR="10.201.0.1")
    second = api_post(client, payload, REMOTE_ADDR="10.201.0.1")

    assert first.status_code == second.status_code == 201
    assert first.json()["comment"]["id"] == second.json()["comment"]["id"]
    assert comment_token_valid(first.json()["comment"]["id"], first.json()["token"])
    assert second.json()["token"] is None
    assert Comment.objects.count() == 1


def test_signed_in_reader_posts_without_name_or_email_but_needs_the_csrf_token():
    user = UserFactory(display_name="Signed Reader")
    thread = ThreadFactory()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)

    refused = api_post(csrf_client, {"key": thread.key, "body": "No token."})
    assert refused.status_code == 403
    assert not Comment.objects.exists()

    csrf_client.get("/api/threads", {"key": thread.key})
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    csrf_client.cookies["csrftoken"] = secret
    accepted = api_post(
        csrf_client,
        {"key": thread.key, "body": "With token."},
        HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret),
    )
    assert accepted.status_code == 201
    assert Comment.objects.get().user == user


# Posting for other sites' pages ---------------------------------------------------------------


def test_first_comment_on_an_allowed_page_creates_its_thread(client, settings):
    settings.COMMENT_EMBED_ORIGINS = [EMBEDDER]
    url = f"{EMBEDDER}/posts/kites/?utm_campaign=spring#comments"
    response = api_post(client, guest(url=url, title="Kites over the bay"), origin=EMBEDDER)

    assert response.status_code == 201
    thread = Thread.objects.get()
    assert thread.url == f"{EMBEDDER}/posts/kites/"
    assert thread.key == f"url:{EMBEDDER}/posts/kites/"
    assert thread.title == "Kites over the bay"
    again = api_post(client, guest(url=f"{EMBEDDER.upper()}/posts/kites/"), origin=EMBEDDER)
    assert again.status_code == 201
    assert Thread.objects.count() == 1
    assert Thread.objects.get().comment_count == 2


def test_no_thread_is_created_for_a_page_whose_origin_is_not_allowed(client, settings):
    settings.COMMENT_EMBED_ORIGINS = [EMBEDDER]
    response = api_post(client, guest(url="https://elsewhere.example/page/"))
    assert response.status_code == 404
    assert not Thread.objects.exists()


def test_refused_first_comment_leaves_no_empty_thread(client, settings):
    settings.COMMENT_EMBED_ORIGINS = [EMBEDDER]
    response = api_post(client, guest(url=f"{EMBEDDER}/posts/new/", body=""))
    assert response.status_code == 422
    assert not Thread.objects.exists()


def test_post_from_a_browser_on_a_foreign_origin_is_refused(client, settings):
    settings.COMMENT_EMBED_ORIGINS = [EMBEDDER]
    thread = ThreadFactory()
    response = api_post(client, guest(key=thread.key), origin="https://evil.example")
    assert response.status_code == 403
    assert "origin" in response.json()["errors"]
    assert not Comment.objects.exists()


def test_bad_page_url_is_refused_naming_url(client):
    response = api_post(client, guest(url="javascript:alert(1)"))
    assert response.status_code == 422
    assert "url" in response.json()["errors"]


# Inputs no database can hold ------------------------------------------------------------------


def test_null_characters_are_refused_naming_the_field(client):
    thread = ThreadFactory()
    posted = api_post(client, guest(key=thread.key, body="Nul\x00byte"))
    read = client.get("/api/threads", {"key": "a\x00b"})
    counted = client.get("/api/counts", {"url": "https://x.example/\x00"})
    assert posted.status_code == read.status_code == counted.status_code == 422
    assert "body" in posted.json()["errors"]
    assert "key" in read.json()["errors"]
    assert "url" in counted.json()["errors"]
    assert not Comment.objects.exists()


def test_a_parent_id_too_big_for_any_database_is_refused_naming_parent(client):
    thread = ThreadFactory()
    response = api_post(client, guest(key=thread.key, parent=2**70))
    assert response.status_code == 422
    assert "parent" in response.json()["errors"]
    assert client.delete("/api/comments/99999999999999999999").status_code == 404


# Privacy --------------------------------------------------------------------------------------


PRIVATE_KEYS = {"email", "author_email", "ip", "ip_hash", "user_agent", "verdict"}


def _keys(value) -> set[str]:
    """Every key in a JSON answer, except the field names an error list refers to."""
    if isinstance(value, dict):
        inner = {k for name, v in value.items() if name != "errors" for k in _keys(v)}
        return set(value) | inner
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_no_answer_carries_email_ip_hash_or_user_agent(client, settings):
    settings.COMMENT_EMBED_ORIGINS = [EMBEDDER]
    thread = ThreadFactory()
    email, address, agent = "hidden.person@example.org", "10.77.66.55", "SecretBrowser/9.1"
    posted = api_post(
        client,
        guest(key=thread.key, author_email=email, author_url="https://mira.example"),
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=agent,
    )
    comment = Comment.objects.get()
    assert comment.ip_hash and comment.user_agent == agent
    token = posted.json()["token"]
    reply = api_post(client, guest(key=thread.key, parent=comment.pk, author_email=email))
    answers = [
        posted,
        reply,
        client.get("/api/threads", {"key": thread.key}),
        api_patch(client, comment.pk, {"body": "Edited words."}, token),
        client.get("/api/counts", {"key": thread.key}),
        api_post(client, guest(key=thread.key, author_email="bad")),
    ]
    for answer in answers:
        text = answer.content.decode()
        for secret in (email, address, comment.ip_hash, agent):
            assert secret not in text, (answer.request["PATH_INFO"], secret)
        assert not _keys(answer.json()) & PRIVATE_KEYS
