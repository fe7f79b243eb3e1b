"""Bans on a user, an email address or a hashed IP: create, change, lift, delete."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.moderation.models import Ban
from broadsheet.moderation.services.audit import (
    Actor,
    actor_user,
    audit_log,
    changes_note,
    shown_time,
)


def _label(ban: Ban) -> str:
    return f"{ban}. {ban.reason}".strip()


def _fields(ban: Ban) -> dict[str, str]:
    """The ban as the audit log compares it."""
    return {
        "user": f"user #{ban.user_id}" if ban.user_id else "",
        "email": ban.email,
        "ip_hash": ban.ip_hash,
        "expires_at": shown_time(ban.expires_at),
        "reason": ban.reason,
    }


def _require_target(*, user: Any, email: str, ip_hash: str) -> None:
    if user is None and not email.strip() and not ip_hash:
        raise ValueError("a ban needs a user, an email address or a hashed IP address")


@transaction.atomic
def ban_create(
    *,
    actor: Actor = None,
    user: Any = None,
    email: str = "",
    ip_hash: str = "",
    duration: timedelta | None = None,
    expires_at: datetime | None = None,
    reason: str = "",
    object_key: str = "",
) -> Ban:
    """Ban a user, email and/or hashed IP, for a duration or until a date (neither: forever)."""
    _require_target(user=user, email=email, ip_hash=ip_hash)
    if duration is not None and expires_at is not None:
        raise ValueError("give either a duration or an expiry date, not both")
    if duration is not None:
        if duration <= timedelta(0):
            raise ValueError("a ban's duration must be positive")
        expires_at = timezone.now() + duration
    ban = Ban.objects.create(
        user=user,
        email=email.strip().lower(),
        ip_hash=ip_hash,
        expires_at=expires_at,
        reason=reason,
        created_by=actor_user(actor),
    )
    audit_log(
        action="ban",
        actor=actor,
        object_key=object_key or f"ban:{ban.pk}",
        decision="reject",
        note=_label(ban),
    )
    return ban


@transaction.atomic
def ban_update(
    *,
    ban: Ban,
    actor: Actor = None,
    user: Any = KEEP,
    email: str | Unchanged = KEEP,
    ip_hash: str | Unchanged = KEEP,
    expires_at: datetime | None | Unchanged = KEEP,
    reason: str | Unchanged = KEEP,
) -> Ban:
    """Change whom a ban targets, until when, or why; the arguments left out are kept."""
    # The stored row, not the caller's instance (an admin form has already changed that one),
    # is what the audit entry compares against.
    stored = Ban.objects.select_for_update().get(pk=ban.pk)
    before = _fields(stored)
    if user is not KEEP:
        stored.user = user
    if email is not KEEP:
        stored.email = email.strip().lower()
    if ip_hash is not KEEP:
        stored.ip_hash = ip_hash
    if expires_at is not KEEP:
        stored.expires_at = expires_at
    if reason is not KEEP:
        stored.reason = reason
    _require_target(user=stored.user, email=stored.email, ip_hash=stored.ip_hash)
    stored.save()
    audit_log(
        action="ban_update",
        actor=actor,
        object_key=f"ban:{stored.pk}",
        decision="reject" if stored.is_active else "",
        note=changes_note(str(stored), before=before, after=_fields(stored)),
    )
    return stored


@transaction.atomic
def ban_lift(*, ban: Ban, actor: Actor = None, note: str = "") -> Ban:
    """End a ban now, keeping its row for the record."""
    ban.expires_at = timezone.now()
    ban.save(update_fields=["expires_at", "updated_at"])
    audit_log(action="unban", actor=actor, object_key=f"ban:{ban.pk}", note=note or str(ban))
    return ban


@transaction.atomic
def ban_delete(*, ban: Ban, actor: Actor = None) -> None:
    """Delete a ban outright (lifting it keeps the record; this does not)."""
    audit_log(action="ban_delete", actor=actor, object_key=f"ban:{ban.pk}", note=_label(ban))
    ban.delete()
