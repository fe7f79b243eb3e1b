"""Time-aware visibility: scheduled articles appear at their time without any cron."""

from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.newsroom.models import Article

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_scheduled_article_appears_exactly_at_its_time():
    at = timezone.now() + timedelta(hours=3)
    article = ArticleFactory(status=Article.Status.SCHEDULED, published_at=at)

    assert article not in Article.objects.published(now=at - timedelta(seconds=1))
    assert article in Article.objects.published(now=at)
    assert article in Article.objects.published(now=at + timedelta(days=1))


def test_draft_never_appears_whatever_its_time():
    article = ArticleFactory(
        status=Article.Status.DRAFT, published_at=timezone.now() - timedelta(days=1)
    )

    assert article not in Article.objects.published()
    assert article not in Article.objects.published(now=timezone.now() + timedelta(days=365))


def test_published_article_with_future_time_waits_for_it():
    at = timezone.now() + timedelta(minutes=10)
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=at)

    assert article not in Article.objects.published()
    assert article in Article.objects.published(now=at)


def test_is_live_agrees_with_published_filter():
    live = ArticleFactory()
    later = ArticleFactory(
        status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1)
    )

    assert live.is_live and live in Article.objects.published()
    assert not later.is_live and later not in Article.objects.published()
