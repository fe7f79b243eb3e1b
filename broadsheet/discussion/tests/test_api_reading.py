"""The JSON API's reads: a thread's page of comments, counts for many pages, the docs."""

from __future__ import annotations

import pytest

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.tests.api_client import (
    EMBEDDER,
    api_post,
    guest,
    ids,
)
from broadsheet.discussion.tests.factories import (
    ThreadFactory,
    UserFactory,
    big_thread,
    moderator,
    post,
)

pytestmark = pytest.mark.django_db


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
    assert top["body_html"] == "<p>First!</p>\n"
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
    assert response.json()["detail"] == "No discussion exists for this page."


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


# Counting -------------------------------------------------------------------------------------


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


# The schema and the docs ----------------------------------------------------------------------


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
