"""List and article pages cost a fixed number of queries, whatever they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    CreditFactory,
    ImageFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Front page: count, page of articles (with section, image and comment count), bylines (with
# users and their author pages), credits (with sources), the lead images' renditions (one
# prefetch for the whole page, for the <picture> srcsets), the week's most discussed, and the
# section navigation.
FRONT_PAGE_QUERIES = 7
# Article page: the article (with section and image), bylines, credits, the lead image's
# renditions (the <picture> and the structured-data crops), tags, corrections, the section
# navigation (7), plus the embedded discussion's own fixed cost (8 at most).
ARTICLE_PAGE_QUERIES = 15


def rich_article(n: int):
    article = ArticleFactory.create(lead_image=ImageFactory.create())
    for i in range(n):
        BylineFactory(article=article, user=UserFactory() if i % 2 else None)
        CreditFactory(article=article)
        CorrectionFactory(article=article)
        article.tags.add(TagFactory.create())
    return article


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_front_page_queries_are_pinned(client, settings, django_assert_max_num_queries):
    settings.ARTICLES_PER_PAGE = 20
    for _ in range(12):
        rich_article(3)

    with django_assert_max_num_queries(FRONT_PAGE_QUERIES):
        assert client.get("/").status_code == 200


def test_front_page_cost_does_not_grow_with_articles(client):
    rich_article(2)
    few = count_queries(client, "/")
    for _ in range(8):
        rich_article(4)

    assert count_queries(client, "/") == few


def test_article_page_queries_are_pinned(client, django_assert_max_num_queries):
    article = rich_article(6)
    client.get(article.get_absolute_url())  # the discussion thread is created on first view

    with django_assert_max_num_queries(ARTICLE_PAGE_QUERIES):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_article_page_cost_does_not_grow_with_bylines_credits_tags_or_corrections(client):
    small, big = rich_article(1), rich_article(8)
    for article in (small, big):
        client.get(article.get_absolute_url())  # create the discussion threads

    assert count_queries(client, big.get_absolute_url()) == count_queries(
        client, small.get_absolute_url()
    )
