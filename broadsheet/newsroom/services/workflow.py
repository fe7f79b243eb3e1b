"""The publishing workflow: publish now, schedule, take down."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from broadsheet.newsroom.models import Article


def embargo_check(article: Article) -> None:
    """Refuse a live or scheduled article whose time comes before its wire embargo lifts."""
    embargo = article.embargo_until
    live = article.status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED)
    if embargo is None or not live:
        return
    if article.published_at is None or article.published_at < embargo:
        lifted = timezone.localtime(embargo).strftime("%-d %B %Y, %H:%M %Z")
        raise ValidationError(
            {"published_at": f"Under embargo until {lifted}: schedule it for then or later."}
        )


def article_publish(*, article: Article, now: datetime | None = None) -> Article:
    """Publish the article now; an earlier publication time (and so its URL) is kept."""
    now = now or timezone.now()
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.published_at is None or article.published_at > now:
            article.published_at = now
        article.status = Article.Status.PUBLISHED
        embargo_check(article)
        article.save(update_fields=["status", "published_at", "updated_at"])
    return article


def article_schedule(
    *, article: Article, publish_at: datetime, now: datetime | None = None
) -> Article:
    """Schedule the article to appear at `publish_at`; readers see it from then, no cron."""
    now = now or timezone.now()
    if timezone.is_naive(publish_at):
        raise ValidationError({"published_at": "Give the time with its time zone."})
    if publish_at <= now:
        raise ValidationError(
            {"published_at": "A scheduled time must be in the future; publish it instead."}
        )
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        article.status = Article.Status.SCHEDULED
        article.published_at = publish_at
        embargo_check(article)
        article.save(update_fields=["status", "published_at", "updated_at"])
    return article


def article_unpublish(*, article: Article) -> Article:
    """Take the article down to a draft; its publication time is kept for a later republish."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        article.status = Article.Status.DRAFT
        article.save(update_fields=["status", "updated_at"])
    return article
