"""A thread page costs the same fixed number of SQL queries for 10 comments as for 5,000."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.discussion.selectors import thread_page
from broadsheet.discussion.tests.factories import big_thread
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article

pytestmark = pytest.mark.django_db

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


def _article(slug: str) -> Article:
    return Article.objects.create(
        headline=f"Story {slug}", slug=slug, status="published", published_at=timezone.now()
    )


def _queries_for(client, url: str) -> int:
    # Measure a full render: the anonymous readers' rendered-comments cache starts empty.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_article_and_thread_pages_cost_the_same_for_10_and_5000_comments(client):
    small, large = _article("small"), _article("large")
    big_thread(10, thread=article_thread(small))
    big_thread(5000, thread=article_thread(large))
    # Warm up once each (sessions, content types) so only the steady cost is compared.
    for article in (small, large):
        client.get(article.get_absolute_url())
    small_count = _queries_for(client, small.get_absolute_url())
    assert small_count == _queries_for(client, large.get_absolute_url())
    # Later pages skip the featured comments' query, whatever the thread's size.
    assert small_count - 1 == _queries_for(client, large.get_absolute_url() + "?page=3")
    thread_small = article_thread(small)
    thread_large = article_thread(large)
    assert _queries_for(client, f"/comments/thread/{thread_small.pk}/") == _queries_for(
        client, f"/comments/thread/{thread_large.pk}/?sort=replies"
    )


@pytest.mark.parametrize("size", [10, 5000])
def test_thread_page_for_a_reader_with_own_comments_costs_one_more_fixed_query(
    size, django_assert_num_queries
):
    from broadsheet.discussion.selectors import Viewer

    thread = big_thread(size)
    viewer = Viewer(own_ids=frozenset({1, 2, 3}))
    with django_assert_num_queries(FIRST_PAGE_QUERIES + 1):
        walk(thread_page(thread=thread, viewer=viewer).nodes)


def test_anonymous_readers_get_the_rendered_comments_from_the_cache(client):
    article = _article("cached")
    thread = big_thread(50, thread=article_thread(article))
    client.get(article.get_absolute_url())  # warm up sessions and content types
    full = _queries_for(client, article.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(article.get_absolute_url())
    assert len(ctx.captured_queries) == full - FIRST_PAGE_QUERIES
    assert again.status_code == 200 and "Reader 0" in again.content.decode()
    # A new comment bumps the thread's version: the next reader sees it at once.
    from broadsheet.discussion.tests.factories import post

    post(thread, "Fresh words after the cache.")
    assert "Fresh words after the cache." in client.get(article.get_absolute_url()).content.decode()


def test_cached_comments_hold_no_csrf_token_and_the_form_gets_a_fresh_one():
    from django.test import Client

    article = _article("tokens")
    big_thread(5, thread=article_thread(article))
    first = Client().get(article.get_absolute_url()).content.decode()
    second = Client().get(article.get_absolute_url()).content.decode()
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        for html in (first, second)
    ]
    assert tokens[0] != tokens[1]
    stamps = [re.search(r'name="rendered_at" value="([^"]+)"', h).group(1) for h in (first, second)]
    assert all(stamps)
