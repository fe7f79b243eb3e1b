"""The JSON API: reading threads, posting, replying, editing, deleting, counting, refusing."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, CommentFlag, Thread
from broadsheet.discussion.tests.factories import ThreadFactory, UserFactory, big_thread, post

pytestmark = pytest.mark.django_db

EMBEDDER = "https://blog.example.net"
_addresses = itertools.count(1)


def api_post(client: Client, data, *, origin: str | None = None, **extra):
    """POST JSON to /api/comments from its own client address (rate limits stay out of the way)."""
    n = next(_addresses)
    extra.setdefault("REMOTE_ADDR", f"10.9.{n // 250 % 250}.{n % 250}")
    if origin:
        extra["HTTP_ORIGIN"] = origin
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post("/api/comments", body, content_type="application/json", **extra)


def guest(**fields) -> dict:
    n = next(_addresses)
    return {
        "body": "Thoughtful words about the story.",
        "author_name": "Mira Quell",
        "author_email": f"mira{n}@example.org",
        **fields,
    }


def ids(nodes) -> list[int]:
    return [node["id"] for node in nodes]


# Reading -----------------------------------------------------------------------------------


def test_thread_page_by_key_is_a_nested_tree_in_order(client):
    thread = ThreadFactory()
    first = post(thread, "First!", email="a@example.org")
    reply = post(thread, "A reply.", parent=first, email="b@example.org")
    deeper = post(thread, "Deeper.", parent=reply, email="c@example.org")
    second = post(thread, "Second.", email="d@example.org")

    response = client.get("/api/threads", {"key": thread.key})

    assert response.status_code == 200
    data = response.json()
    assert data["thread"]["comment_count"] == 4
    assert data["thread"]["title"] == thread.title
    assert data["exists"] is True
    assert ids(data["comments"]) == [first.pk, second.pk]
    top = data["comments"][0]
    assert ids(top["replies"]) == [reply.pk]
    assert ids(top["replies"][0]["replies"]) == [deeper.pk]
    assert top["author"]["name"] == "Ada Reader"
    assert top["body_html"] == "<p>First!</p>\n" or top["body_html"].startswith("<p>First!")
    assert top["permalink"] == f"http://testserver/comments/{first.pk}/"
    assert top["author"]["avatar_url"].startswith("http://testserver/avatars/")


def test_thread_page_sorts_newest_first_and_by_most_replies(client):
    thread = ThreadFactory()
    quiet = post(thread, "Quiet one.", email="a@example.org")
    busy = post(thread, "Busy one.", email="b@example.org")
    latest = post(thread, "Latest one.", email="c@example.org")
    post(thread, "Reply one.", parent=busy, email="d@example.org")
    post(thread, "Reply two.", parent=busy, email="e@example.org")

    newest = client.get("/api/threads", {"key": thread.key, "sort": "newest"}).json()
    replies = client.get("/api/threads", {"key": thread.key, "sort": "replies"}).json()

    assert ids(newest["comments"]) == [latest.pk, busy.pk, quiet.pk]
    assert ids(replies["comments"])[0] == busy.pk
    assert replies["sort"] == "replies"


def test_editors_picks_ride_along_on_the_first_page(client):
    from broadsheet.discussion.services import comment_feature
    from broadsheet.discussion.tests.factories import moderator

    thread = ThreadFactory()
    plain = post(thread, "Plain.", email="a@example.org")
    picked = post(thread, "A fine point.", parent=plain, email="b@example.org")
    comment_feature(comment=picked, actor=moderator())

    data = client.get("/api/threads", {"key": thread.key}).json()

    assert ids(data["featured"]) == [picked.pk]
    assert data["featured"][0]["is_featured"] is True
    assert data["comments"][0]["replies"][0]["is_featured"] is True
    assert data["comments"][0]["is_featured"] is False


def test_unknown_sort_is_refused_naming_the_field(client):
    thread = ThreadFactory()
    response = client.get("/api/threads", {"key": thread.key, "sort": "random"})
    assert response.status_code == 422
    assert "sort" in response.json()["errors"]


def test_thread_page_is_paginated_by_top_level_comments_with_replies_complete(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    thread = ThreadFactory()
    roots = [post(thread, f"Root {n}.", email=f"r{n}@example.org") for n in range(5)]
    reply = post(thread, "Reply to the third.", parent=roots[2], email="x@example.org")

    page2 = client.get("/api/threads", {"key": thread.key, "page": 2}).json()

    assert page2["num_pages"] == 3
    assert page2["page"] == 2
    assert page2["top_level_count"] == 5
    assert ids(page2["comments"]) == [roots[2].pk, roots[3].pk]
    assert ids(page2["comments"][0]["replies"]) == [reply.pk]


def test_thread_of_this_sites_page_is_found_by_its_absolute_url(client):
    thread = ThreadFactory(url="/2026/05/harbour-story/")
    comment = post(thread, "Found by URL.")
    response = client.get("/api/threads", {"url": "http://testserver/2026/05/harbour-story/#x"})
    assert response.status_code == 200
    assert ids(response.json()["comments"]) == [comment.pk]


def test_unknown_thread_key_is_404(client):
    response = client.get("/api/threads", {"key": "no-such-thread"})
    assert response.status_code == 404
    assert response.json()["detail"]


def test_page_on_an_allowed_origin_without_comments_reads_as_an_empty_open_thread(client, settings):
    settings.COMMENT_EMBED_ORIGINS = [EMBEDDER]
    response = client.get("/api/threads", {"url": f"{EMBEDDER}/posts/kites/?utm_source=x"})
    data = response.json()
    assert response.status_code == 200
    assert data["exists"] is False
    assert data["thread"]["is_open"] is True
    assert data["thread"]["url"] == f"{EMBEDDER}/posts/kites/"
    assert data["comments"] == []
    assert not Thread.objects.exists()


def test_page_on_an_origin_not_allowed_is_404(client, settings):
    settings.COMMENT_EMBED_ORIGINS = [EMBEDDER]
    response = client.get("/api/threads", {"url": "https://elsewhere.example/page/"})
    assert response.status_code == 404


def test_neither_key_nor_url_is_refused_naming_the_field(client):
    response = client.get("/api/threads")
    assert response.status_code == 422
    assert "url" in response.json()["errors"]


# Posting -----------------------------------------------------------------------------------


def test_posting_a_comment_answers_201_with_the_comment_and_a_token(client):
    thread = ThreadFactory()
    response = api_post(client, guest(key=thread.key, body="I was *there*."))

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "approved"
    assert data["token"]
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
    assert "moderator" in data["message"]
    assert data["token"]
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
    assert "too quickly" in response.json()["errors"]["body"][0]


def test_double_submit_stores_one_comment_and_hands_out_the_token_once(client):
    thread = ThreadFactory()
    payload = guest(key=thread.key, body="Clicked twice.")
    first = api_post(client, payload, REMOTE_ADDR="10.201.0.1")
    second = api_post(client, payload, REMOTE_ADDR="10.201.0.1")

    assert first.status_code == second.status_code == 201
    assert first.json()["comment"]["id"] == second.json()["comment"]["id"]
    assert first.json()["token"] and second.json()["token"] is None
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


# Posting for other sites' pages --------------------------------------------------------------


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


# Editing and deleting ------------------------------------------------------------------------


def _posted(client, thread, **fields):
    response = api_post(client, guest(key=thread.key, **fields))
    assert response.status_code == 201
    return response.json()["comment"]["id"], response.json()["token"]


def _patch(client, comment_id, data, token=None):
    headers = {"HTTP_X_COMMENT_TOKEN": token} if token else {}
    return client.patch(
        f"/api/comments/{comment_id}",
        json.dumps(data),
        content_type="application/json",
        **headers,
    )


def test_author_edits_with_the_token(client):
    thread = ThreadFactory()
    comment_id, token = _posted(client, thread, body="Frist.")
    response = _patch(client, comment_id, {"body": "First, I meant."}, token)

    assert response.status_code == 200
    assert response.json()["body"] == "First, I meant."
    assert response.json()["edited_at"]
    page = client.get("/api/threads", {"key": thread.key}).json()
    assert "First, I meant." in page["comments"][0]["body_html"]


def test_edit_without_or_with_a_wrong_token_is_403(client):
    thread = ThreadFactory()
    comment_id, _token = _posted(client, thread)
    other_id, other_token = _posted(client, thread, body="Another.")

    assert _patch(client, comment_id, {"body": "Hijack."}).status_code == 403
    forged = _patch(client, comment_id, {"body": "Hijack."}, other_token)
    assert forged.status_code == 403
    assert "token" in forged.json()["errors"]
    assert Comment.objects.get(pk=comment_id).body == "Thoughtful words about the story."


def test_edit_after_the_window_is_refused_naming_body(client, settings):
    thread = ThreadFactory()
    comment_id, token = _posted(client, thread)
    Comment.objects.filter(pk=comment_id).update(
        created_at=timezone.now() - timedelta(minutes=settings.COMMENT_EDIT_MINUTES + 1)
    )
    response = _patch(client, comment_id, {"body": "Too late."}, token)
    assert response.status_code == 422
    assert "minutes" in response.json()["errors"]["body"][0]


def test_empty_edit_is_refused_naming_body(client):
    thread = ThreadFactory()
    comment_id, token = _posted(client, thread)
    response = _patch(client, comment_id, {"body": ""}, token)
    assert response.status_code == 422
    assert response.json()["errors"]["body"] == ["Please write a comment."]


def test_editing_a_missing_comment_is_404(client):
    assert _patch(client, 424242, {"body": "Hello."}, "token").status_code == 404


def test_author_deletes_with_the_token_and_the_comment_disappears(client):
    thread = ThreadFactory()
    comment_id, token = _posted(client, thread)

    assert client.delete(f"/api/comments/{comment_id}").status_code == 403
    response = client.delete(f"/api/comments/{comment_id}", HTTP_X_COMMENT_TOKEN=token)

    assert response.status_code == 204
    page = client.get("/api/threads", {"key": thread.key}).json()
    assert page["comments"] == []
    assert page["thread"]["comment_count"] == 0


def test_deleted_comment_with_replies_stays_as_a_tombstone_keeping_them(client):
    thread = ThreadFactory()
    comment_id, token = _posted(client, thread, body="Secret words.")
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


# Counting ------------------------------------------------------------------------------------


def test_counts_for_many_keys_and_urls_in_one_call_with_a_fixed_query_count(
    client, settings, django_assert_num_queries
):
    settings.COMMENT_EMBED_ORIGINS = [EMBEDDER]
    threads = [ThreadFactory(url=f"/story/{n}/") for n in range(30)]
    for n, thread in enumerate(threads[:5]):
        for k in range(n):
            post(thread, f"Comment {k}.", email=f"c{n}-{k}@example.org")
    api_post(client, guest(url=f"{EMBEDDER}/posts/a/"))
    keys = [t.key for t in threads] + ["missing"]
    urls = [f"http://testserver/story/{n}/" for n in range(30)]
    urls += [f"{EMBEDDER}/posts/a/?utm_source=feed", "not a url"]

    with django_assert_num_queries(2):
        response = client.get("/api/counts", {"key": keys, "url": urls})

    data = response.json()
    assert response.status_code == 200
    assert [data["keys"][t.key] for t in threads[:5]] == [0, 1, 2, 3, 4]
    assert data["keys"]["missing"] == 0
    assert data["urls"]["http://testserver/story/4/"] == 4
    assert data["urls"][f"{EMBEDDER}/posts/a/?utm_source=feed"] == 1
    assert data["urls"]["not a url"] == 0
    assert len(data["keys"]) == 31 and len(data["urls"]) == 32


def test_counts_refuse_too_many_threads_at_once(client):
    response = client.get("/api/counts", {"key": [f"k{n}" for n in range(201)]})
    assert response.status_code == 422
    assert "key" in response.json()["errors"]


@pytest.mark.parametrize("size", [10, 400])
def test_thread_endpoint_costs_a_fixed_number_of_queries(client, size, django_assert_num_queries):
    thread = big_thread(size)
    # Thread by key, then the page's top-level comments, then their replies; the first page
    # also reads the featured comments.
    for page, queries in ((1, 4), (2, 3)):
        if page > 1 and size <= 50:
            continue
        with django_assert_num_queries(queries):
            response = client.get("/api/threads", {"key": thread.key, "page": page})
        assert response.status_code == 200
        assert response.json()["comments"]


# Privacy -------------------------------------------------------------------------------------

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
        _patch(client, comment.pk, {"body": "Edited words."}, token),
        client.get("/api/counts", {"key": thread.key}),
        api_post(client, guest(key=thread.key, author_email="bad")),
    ]
    for answer in answers:
        text = answer.content.decode()
        for secret in (email, address, comment.ip_hash, agent):
            assert secret not in text, (answer.request["PATH_INFO"], secret)
        assert not _keys(answer.json()) & PRIVATE_KEYS


# The schema and the docs ---------------------------------------------------------------------


def test_openapi_schema_describes_the_broadsheet_api(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Broadsheet"
    assert schema["info"]["version"] == "1"
    assert {"/api/threads", "/api/comments", "/api/comments/{comment_id}", "/api/counts"} <= set(
        schema["paths"]
    )


def test_docs_page_loads_no_script_from_anywhere(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"<script" not in response.content
    assert b"/api/comments" in response.content
    assert "script-src 'self'" in response["Content-Security-Policy"]


# Inputs no database can hold --------------------------------------------------------------------


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
    assert client.delete("/api/comments/99999999999999999999").status_code in (404, 422)


def api_report(client: Client, comment_id: int, data, **extra):
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    extra.setdefault("REMOTE_ADDR", "10.77.0.1")
    return client.post(
        f"/api/comments/{comment_id}/report", body, content_type="application/json", **extra
    )


def test_report_is_recorded_once_and_reveals_nothing_private(client, settings):
    settings.COMMENT_REPORTS_TO_HOLD = 5
    thread = ThreadFactory()
    comment = post(thread, "Reported words.", email="author@example.org", ip="203.0.113.77")
    first = api_report(client, comment.pk, {"reason": "off-topic", "note": "Not about it."})
    again = api_report(client, comment.pk, {"reason": "spam"})

    assert first.status_code == 201 and first.json()["created"] is True
    assert again.status_code == 200 and again.json()["created"] is False
    flag = CommentFlag.objects.get()
    assert flag.reason == "off_topic" and flag.note == "Not about it."
    for response in (first, again):
        text = response.content.decode()
        assert "author@example.org" not in text and "203.0.113.77" not in text
        assert "10.77.0.1" not in text and "reporter" not in text
    comment.refresh_from_db()
    assert comment.report_count == 1


def test_report_needs_a_known_reason_and_a_published_comment(client):
    thread = ThreadFactory()
    comment = post(thread, "Reported words.")
    assert api_report(client, comment.pk, {"reason": "boring"}).status_code == 422
    assert api_report(client, 10**12, {"reason": "spam"}).status_code == 404
    services.comment_status_set(comment=comment, status=Comment.Status.REJECTED)
    assert api_report(client, comment.pk, {"reason": "spam"}).status_code == 404
    assert not CommentFlag.objects.exists()


def test_thread_answer_flags_staff_comments(client):
    thread = ThreadFactory()
    staff = UserFactory(is_staff=True, display_name="Desk Editor")
    services.comment_post(thread=thread, body="From the desk.", user=staff)
    post(thread, "From a reader.")
    comments = client.get("/api/threads", {"key": thread.key}).json()["comments"]
    assert [c["is_staff"] for c in comments] == [True, False]


def test_thread_answer_keeps_replies_of_a_held_comment_as_a_placeholder(client):
    thread = ThreadFactory()
    parent = post(thread, "Held parent text.")
    post(thread, "Approved reply.", parent=parent, email="rae@example.org")
    services.comment_status_set(comment=parent, status=Comment.Status.PENDING)
    answer = client.get("/api/threads", {"key": thread.key})
    (node,) = answer.json()["comments"]
    assert node["author"] is None and node["body_html"] == ""
    assert "Held parent text." not in answer.content.decode()
    assert [r["body_html"].strip() for r in node["replies"]] == ["<p>Approved reply.</p>"]
