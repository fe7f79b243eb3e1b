"""List pages show each article's stored comment count, at a fixed cost whatever the list holds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.discussion.tests.factories import post
from broadsheet.discussion.tests.referee import Referee
from broadsheet.newsroom import services
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article, ArticleTopic, Author, Topic

from .factories import ArticleFactory, BylineFactory, SectionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

# Count, page of articles (with section, image and comment count), bylines (with users and
# author pages), credits, section navigation; plus the page's own subject (section, tag, author
# or topic). The front page has the most-discussed list instead of a subject.
LIST_PAGE_QUERIES = 6


@pytest.fixture(autouse=True)
def referee(settings):
    """Publish every comment, so the tests choose the counts (a test may switch to holding)."""
    referee = Referee(settings)
    referee.allow()
    return referee


def commented(article, n: int):
    thread = article_thread(article)
    for i in range(n):
        comment = post(thread, f"Comment {i} on {article.headline}.", email=f"r{i}@example.org")
        assert comment.status == "approved"
    return article


def test_cards_show_each_articles_approved_comment_count(client, referee):
    busy = commented(ArticleFactory(headline="Busy harbour"), 3)
    one = commented(ArticleFactory(headline="Quiet harbour"), 1)
    ArticleFactory(headline="Silent harbour")
    referee.hold()
    assert post(article_thread(one), "Held for a moderator.").status == "pending"

    html = client.get("/").content.decode()

    assert f'href="{busy.get_absolute_url()}#comments">3 responses</a>' in html
    assert f'href="{one.get_absolute_url()}#comments">1 response</a>' in html
    assert html.count('class="card__comments"') == 2


def test_most_discussed_lists_the_weeks_busiest_articles_first(client):
    now = timezone.now()
    old = commented(ArticleFactory(headline="Last month's row"), 9)
    old.published_at = now - timedelta(days=8)
    old.save(update_fields=["published_at"])
    second = commented(ArticleFactory(headline="Second busiest"), 2)
    first = commented(ArticleFactory(headline="Busiest of the week"), 4)
    ArticleFactory(headline="No comments yet")

    html = client.get("/").content.decode()
    aside = html[html.index('class="most-discussed"') :]
    aside = aside[: aside.index("</aside>")]

    assert aside.index(first.headline) < aside.index(second.headline)
    assert "Last month" not in aside
    assert "No comments yet" not in aside
    assert ">4 responses</a>" in aside


def test_no_most_discussed_box_without_comments(client):
    ArticleFactory()

    assert 'class="most-discussed"' not in client.get("/").content.decode()


def _many_articles(n: int, **fields):
    articles = [ArticleFactory(**fields) for _ in range(n)]
    for i, article in enumerate(articles):
        commented(article, i % 3)
    return articles


def _author_with_articles(n: int) -> Author:
    writer = UserFactory(username="harbour.writer", display_name="Hana Writer")
    articles: list[Article] = [ArticleFactory() for _ in range(n)]  # type: ignore[misc]
    for article in articles:
        services.article_bylines_set(article=article, bylines=[services.BylineSpec(user=writer)])
        commented(article, 1)
    return Author.objects.get(user__username="harbour.writer")


def _topic_with_articles(n: int) -> Topic:
    topic = Topic.objects.create(name="Harbour Authority", slug="harbour-authority")
    for article in _many_articles(n):
        ArticleTopic.objects.create(
            article=article, topic=topic, status=ArticleTopic.Status.CONFIRMED
        )
    return topic


@pytest.mark.parametrize("n", [2, 12])
def test_list_pages_cost_the_same_whatever_they_show(
    client, settings, django_assert_max_num_queries, n
):
    settings.ARTICLES_PER_PAGE = 20
    section = SectionFactory(slug="harbour")
    tag = TagFactory(slug="boats")
    for article in _many_articles(n, section=section):
        article.tags.add(tag)
        BylineFactory(article=article)
    author = _author_with_articles(n)
    topic = _topic_with_articles(n)

    for url in (
        "/",
        "/section/harbour/",
        "/tag/boats/",
        author.get_absolute_url(),
        topic.get_absolute_url(),
    ):
        with django_assert_max_num_queries(LIST_PAGE_QUERIES):
            response = client.get(url)
        assert response.status_code == 200, url
