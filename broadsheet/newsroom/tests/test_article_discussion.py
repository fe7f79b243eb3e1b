"""An article's discussion: the article owns its thread's state, and reading never changes it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.security import comment_token
from broadsheet.discussion.tests.factories import big_thread, editor, post
from broadsheet.moderation.services import context_policy_set
from broadsheet.newsroom import services as newsroom_services
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

HEADLINE = "Harbour bridge reopens after a year of repairs"


@pytest.fixture
def article():
    return Article.objects.create(
        headline=HEADLINE, slug="bridge", status="published", published_at=timezone.now()
    )


def test_a_moderators_closure_survives_page_views_and_article_saves(client):
    article = ArticleFactory()
    thread = article_thread(article)
    services.thread_close(thread=thread)
    assert client.get(article.get_absolute_url()).status_code == 200
    article.dek = "Updated standfirst."
    article.save()
    thread.refresh_from_db()
    assert thread.is_closed


def test_turning_comments_off_and_on_follows_the_article():
    article = ArticleFactory()
    thread = article_thread(article)
    article.comments_enabled = False
    article.save()
    thread.refresh_from_db()
    assert thread.is_closed
    # A page view with comments off does not write, and turning them on again reopens.
    article_thread(article)
    article.comments_enabled = True
    article.save()
    thread.refresh_from_db()
    assert not thread.is_closed


def test_article_comment_switch_closes_and_reopens_its_thread(client, article):
    article.comments_enabled = False
    article.save()
    assert "Comments are closed." in client.get(article.get_absolute_url()).content.decode()
    article.comments_enabled = True
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Comments are closed." not in html and 'id="commentform"' in html


def test_an_unpublished_articles_discussion_is_hidden_everywhere(client):
    article = ArticleFactory()
    thread = article_thread(article)
    post(thread, "Said while it was live.")
    newsroom_services.article_unpublish(article=article)
    thread.refresh_from_db()
    assert not thread.is_visible
    assert not Thread.objects.visible().filter(pk=thread.pk).exists()
    with pytest.raises(ValidationError) as exc:
        post(thread, "Said after it was taken down.")
    assert "not available" in exc.value.message_dict["thread"][0]
    assert client.get("/api/threads", {"key": thread.key}).status_code == 404
    body = {
        "key": thread.key,
        "body": "Via the API.",
        "author_name": "A",
        "author_email": "a@x.org",
    }
    response = client.post("/api/comments", json.dumps(body), content_type="application/json")
    assert response.status_code == 404
    assert Comment.objects.count() == 1


def test_comments_under_a_taken_down_article_cannot_be_reported(client):
    article = ArticleFactory()
    comment = post(article_thread(article), "Said while it was live.")
    newsroom_services.article_unpublish(article=article)
    assert client.post(f"/comments/{comment.pk}/report/", {"reason": "spam"}).status_code == 404
    with pytest.raises(ValidationError):
        services.comment_report(comment=comment, reporter_key="reader:1", reason="spam")


def test_a_scheduled_articles_discussion_opens_at_its_time_without_a_cron():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    thread = article_thread(article)
    assert not thread.is_visible
    when = timezone.now() + timedelta(hours=2)
    newsroom_services.article_schedule(article=article, publish_at=when)
    thread.refresh_from_db()
    assert thread.visible_from == when
    assert not thread.is_visible_at(when - timedelta(seconds=1))
    assert thread.is_visible_at(when)


def test_staff_preview_of_an_unpublished_article_shows_no_discussion(client):
    article = Article.objects.create(headline="Embargoed budget story", slug="budget")
    client.force_login(editor())
    response = client.get(f"/preview/{article.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Embargoed budget story" in html
    assert 'id="commentform"' not in html
    assert "The discussion appears here once the article is published." in html


# Policies by section: an article's thread carries its section's context key ----------------


def test_a_section_policy_holds_clean_comments_in_that_section_only():
    world = ArticleFactory(section=SectionFactory(name="World", slug="world"))
    city = ArticleFactory(section=SectionFactory(name="City", slug="city"))
    context_policy_set(key="section:world", mode="pre")
    on_world = post(article_thread(world), "A perfectly clean remark.")
    on_city = post(article_thread(city), "Another perfectly clean remark.", email="b@example.org")
    assert on_world.status == Comment.Status.PENDING
    assert on_city.status == Comment.Status.APPROVED


def test_a_section_policy_applies_to_edits_too():
    world = ArticleFactory(section=SectionFactory(name="World", slug="world"))
    comment = post(article_thread(world), "Published before the policy.")
    context_policy_set(key="section:world", mode="pre")
    services.comment_edit(
        comment=comment, body="Changed after the policy.", token=comment_token(comment.pk)
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


# The article page's cost does not grow with its discussion ----------------------------------


def _queries_for(client, url: str) -> int:
    # Measure a full render: the anonymous readers' rendered-comments cache starts empty.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _article(slug: str) -> Article:
    return Article.objects.create(
        headline=f"Story {slug}", slug=slug, status="published", published_at=timezone.now()
    )


def test_article_page_costs_the_same_for_10_and_5000_comments(client):
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
