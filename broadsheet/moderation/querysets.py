"""Chainable filters for the moderation models."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


def active_q(now=None) -> Q:
    """Bans in force at `now`: without expiry or expiring later."""
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now or timezone.now())


def matching_q(*, user_id: int | None, email: str, ip_hash: str) -> Q:
    """Bans that target this user, email address or hashed IP (empty values match nothing)."""
    q = Q(pk__in=[])
    if user_id is not None:
        q |= Q(user_id=user_id)
    if email.strip():
        q |= Q(email=email.strip().lower())
    if ip_hash:
        q |= Q(ip_hash=ip_hash)
    return q


class BanQuerySet(models.QuerySet):
    """Bans, filtered by whether they are in force and whom they target."""

    def active(self, now=None) -> BanQuerySet:
        """Bans in force now."""
        return self.filter(active_q(now))

    def matching(self, *, user_id: int | None, email: str = "", ip_hash: str = "") -> BanQuerySet:
        """Bans targeting any of the given identities."""
        return self.filter(matching_q(user_id=user_id, email=email, ip_hash=ip_hash))
