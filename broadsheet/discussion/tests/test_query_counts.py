"""A thread page costs the same fixed number of SQL queries for 10 comments as for 5,000."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.discussion.selectors import thread_page
from broadsheet.discussion.tests.factories import big_thread
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article

pytestmark = pytest.mark.django_db

# Top-level comments of this page, then their replies.
THREAD_PAGE_QUERIES = 2


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
        with django_assert_num_queries(THREAD_PAGE_QUERIES):
            page = thread_page(thread=thread, sort=sort, page=2 if size > 100 else 1)
            assert walk(page.nodes) > 0


def _article(slug: str) -> Article:
    return Article.objects.create(
        headline=f"Story {slug}", slug=slug, status="published", published_at=timezone.now()
    )


def _queries_for(client, url: str) -> int:
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
    large_count = _queries_for(client, large.get_absolute_url() + "?page=3")
    assert small_count == large_count
    thread_small = article_thread(small)
    thread_large = article_thread(large)
    assert _queries_for(client, f"/comments/thread/{thread_small.pk}/") == _queries_for(
        client, f"/comments/thread/{thread_large.pk}/?page=2&sort=replies"
    )


@pytest.mark.parametrize("size", [10, 5000])
def test_thread_page_for_a_reader_with_own_comments_costs_one_more_fixed_query(
    size, django_assert_num_queries
):
    from broadsheet.discussion.selectors import Viewer

    thread = big_thread(size)
    viewer = Viewer(own_ids=frozenset({1, 2, 3}))
    with django_assert_num_queries(THREAD_PAGE_QUERIES + 1):
        walk(thread_page(thread=thread, viewer=viewer).nodes)
