"""Chainable article filters; each has a `*_q()` twin for combining."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
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

    def for_listing(self) -> ArticleQuerySet:
        """Load what a list page shows in a fixed number of queries."""
        from broadsheet.newsroom.models import Byline, Credit

        return self.select_related("section", "lead_image").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("user")),
            models.Prefetch("credits", queryset=Credit.objects.select_related("source")),
        )

    def for_page(self) -> ArticleQuerySet:
        """Load everything an article page shows in a fixed number of queries."""
        return self.for_listing().prefetch_related("tags", "corrections")
