"""A thread page costs the same fixed number of SQL queries for 10 comments as for 5,000.

And the comment table has the indexes that keep it so.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.discussion.models import Comment
from broadsheet.discussion.selectors import Viewer, thread_page
from broadsheet.discussion.tests.embedding import EMBEDDING_URLS, page_thread, page_url
from broadsheet.discussion.tests.factories import big_thread, post

pytestmark = [pytest.mark.django_db, pytest.mark.urls(EMBEDDING_URLS)]

# Top-level comments of this page, then their replies (by the (root, path) index).
THREAD_PAGE_QUERIES = 2
# The first page also reads the featured comments, in a query of their own.
FIRST_PAGE_QUERIES = THREAD_PAGE_QUERIES + 1


def walk(nodes) -> int:
    """Touch everything a template touches on every comment."""
    total = 0
    for node in nodes:
        c = node.comment
        assert c.display_name and c.avatar_url and c.get_absolute_url()
        total += 1 + walk(node.children)
    return total


@pytest.mark.parametrize("size", [10, 5000])
def test_thread_page_selector_query_count_is_fixed(size, django_assert_num_queries):
    thread = big_thread(size)
    for sort in ("oldest", "newest", "replies"):
        with django_assert_num_queries(FIRST_PAGE_QUERIES):
            assert walk(thread_page(thread=thread, sort=sort, page=1).nodes) > 0
        if size > 100:
            with django_assert_num_queries(THREAD_PAGE_QUERIES):
                assert walk(thread_page(thread=thread, sort=sort, page=2).nodes) > 0


def _queries_for(client, url: str) -> int:
    # Measure a full render: the anonymous readers' rendered-comments cache starts empty.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_embedding_and_thread_pages_cost_the_same_for_10_and_5000_comments(client):
    thread_small = big_thread(10, thread=page_thread("small"))
    thread_large = big_thread(5000, thread=page_thread("large"))
    # Warm up once each (sessions, content types) so only the steady cost is compared.
    for slug in ("small", "large"):
        client.get(page_url(slug))
    small_count = _queries_for(client, page_url("small"))
    assert small_count == _queries_for(client, page_url("large"))
    # Later pages skip the featured comments' query, whatever the thread's size.
    assert small_count - 1 == _queries_for(client, page_url("large") + "?page=3")
    assert _queries_for(client, f"/comments/thread/{thread_small.pk}/") == _queries_for(
        client, f"/comments/thread/{thread_large.pk}/?sort=replies"
    )


@pytest.mark.parametrize("size", [10, 5000])
def test_thread_page_for_a_reader_with_own_comments_costs_one_more_fixed_query(
    size, django_assert_num_queries
):
    thread = big_thread(size)
    viewer = Viewer(own_ids=frozenset({1, 2, 3}))
    with django_assert_num_queries(FIRST_PAGE_QUERIES + 1):
        walk(thread_page(thread=thread, viewer=viewer).nodes)


def test_anonymous_readers_get_the_rendered_comments_from_the_cache(client):
    thread = big_thread(50, thread=page_thread("cached"))
    client.get(page_url("cached"))  # warm up sessions and content types
    full = _queries_for(client, page_url("cached"))
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(page_url("cached"))
    assert len(ctx.captured_queries) == full - FIRST_PAGE_QUERIES
    assert again.status_code == 200 and "Reader 0" in again.content.decode()
    # A new comment bumps the thread's version: the next reader sees it at once.
    post(thread, "Fresh words after the cache.")
    assert "Fresh words after the cache." in client.get(page_url("cached")).content.decode()


def _indexes() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Comment._meta.db_table)
    return {name: info["columns"] for name, info in found.items() if info["index"]}


def test_comments_have_the_top_level_and_featured_indexes():
    indexes = _indexes()
    assert indexes["comment_top_level"] == ["thread_id", "depth", "path"]
    assert indexes["comment_featured"] == ["thread_id", "featured_at"]
