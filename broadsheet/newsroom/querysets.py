"""Chainable article filters; each has a `*_q()` twin for combining."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

if TYPE_CHECKING:
    from datetime import datetime


def published_q(now: datetime | None = None) -> models.Q:
    """Match articles a reader may see: published or scheduled, and their time has come."""
    now = now or timezone.now()
    return models.Q(status__in=("published", "scheduled"), published_at__lte=now)


class ArticleQuerySet(models.QuerySet):
    """Queries over articles."""

    def published(self, now: datetime | None = None) -> ArticleQuerySet:
        """Articles visible to readers now; scheduled ones appear at their time, no cron."""
        return self.filter(published_q(now))

    def latest_first(self) -> ArticleQuerySet:
        """Newest publication first."""
        return self.order_by("-published_at", "-id")

    def with_comment_counts(self) -> ArticleQuerySet:
        """Annotate `comment_count`: the discussion's stored count of approved comments, or 0.

        One correlated subquery on the thread's unique key, so a list costs no query per article.
        """
        from broadsheet.discussion.models import Thread

        key = Concat(models.Value("article:"), Cast(models.OuterRef("pk"), models.CharField()))
        counts = Thread.objects.filter(key=key).values("comment_count")[:1]
        return self.annotate(
            comment_count=Coalesce(
                models.Subquery(counts, output_field=models.IntegerField()), models.Value(0)
            )
        )

    def most_discussed(self, *, since: datetime) -> ArticleQuerySet:
        """Articles published since `since` with comments, the most commented first."""
        return (
            self.filter(published_at__gte=since)
            .with_comment_counts()
            .filter(comment_count__gt=0)
            .order_by("-comment_count", "-published_at", "-id")
        )

    def for_listing(self) -> ArticleQuerySet:
        """Load what a list page shows in a fixed number of queries, comment counts included."""
        from broadsheet.newsroom.models import Byline, Credit

        return (
            self.select_related("section", "lead_image")
            .prefetch_related(
                models.Prefetch(
                    "bylines", queryset=Byline.objects.select_related("user__author_profile")
                ),
                models.Prefetch("credits", queryset=Credit.objects.select_related("source")),
                # The <picture> of each lead image and the article's structured-data crops.
                "lead_image__renditions",
            )
            .with_comment_counts()
        )

    def for_page(self) -> ArticleQuerySet:
        """Load everything an article page shows in a fixed number of queries."""
        # Deferred import: models imports this module.
        from broadsheet.newsroom.models import ArticleTopic

        confirmed = ArticleTopic.objects.filter(status=ArticleTopic.Status.CONFIRMED)
        return self.for_listing().prefetch_related(
            "tags",
            "corrections",
            models.Prefetch(
                "article_topics",
                queryset=confirmed.select_related("topic"),
                to_attr="confirmed_topic_links",
            ),
        )
