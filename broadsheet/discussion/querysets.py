"""Chainable comment and thread filters; each has a `*_q()` twin for combining."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import models
from django.utils import timezone

APPROVED = "approved"
PENDING = "pending"
DELETED = "deleted"


def approved_q() -> models.Q:
    """Match comments everyone may read."""
    return models.Q(status=APPROVED)


def listed_q() -> models.Q:
    """Match comments shown to everyone: approved, or placeholders that keep approved replies."""
    # A deleted, held or removed comment with approved replies stays as a placeholder (its text
    # hidden), so the replies the heading counts are still on the page.
    return approved_q() | models.Q(descendant_count__gt=0)


def visible_q(*, own_ids: Iterable[int] = (), user_id: int | None = None) -> models.Q:
    """Match what one reader sees: the listed comments plus their own pending ones."""
    q = listed_q()
    own_ids = list(own_ids)
    if own_ids:
        q |= models.Q(status=PENDING, pk__in=own_ids)
    if user_id:
        q |= models.Q(status=PENDING, user_id=user_id)
    return q


def open_q(now: datetime | None = None) -> models.Q:
    """Match threads that accept comments now."""
    now = now or timezone.now()
    return models.Q(is_closed=False) & (
        models.Q(closes_at__isnull=True) | models.Q(closes_at__gt=now)
    )


def thread_visible_q(now: datetime | None = None) -> models.Q:
    """Match threads readers may see now (their article, if any, is live)."""
    now = now or timezone.now()
    return models.Q(visible_from__isnull=False, visible_from__lte=now)


class ThreadQuerySet(models.QuerySet):
    """Queries over threads."""

    def visible(self, now: datetime | None = None) -> ThreadQuerySet:
        """Threads readers may see now; a hidden thread answers as if it did not exist."""
        return self.filter(thread_visible_q(now))

    def open(self, now: datetime | None = None) -> ThreadQuerySet:
        """Threads that accept comments now."""
        return self.filter(open_q(now))


class CommentQuerySet(models.QuerySet):
    """Queries over comments."""

    def approved(self) -> CommentQuerySet:
        """Comments everyone may read."""
        return self.filter(approved_q())

    def listed(self) -> CommentQuerySet:
        """Comments shown to everyone, tombstones that keep replies included."""
        return self.filter(listed_q())

    def visible(self, *, own_ids: Iterable[int] = (), user_id: int | None = None):
        """What one reader sees: listed comments plus their own pending ones."""
        return self.filter(visible_q(own_ids=own_ids, user_id=user_id))

    def top_level(self) -> CommentQuerySet:
        """Comments that start a branch of the tree."""
        return self.filter(depth=0)

    def in_tree_order(self) -> CommentQuerySet:
        """Order by materialized path: parents before children, siblings oldest first."""
        return self.order_by("path")
