"""Threads: found or made for a page, kept in line with it, closed, recounted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from broadsheet.discussion import tree
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.services._bookkeeping import thread_counters_refresh
from broadsheet.moderation.services import audit_log

if TYPE_CHECKING:
    from broadsheet.accounts.models import User

URL_MAX = 500
TITLE_MAX = 300


def _closes_at(published_at: datetime | None) -> datetime | None:
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if not days or published_at is None:
        return None
    return published_at + timedelta(days=days)


def thread_get_or_create(
    *,
    key: str,
    url: str = "",
    title: str = "",
    published_at: datetime | None = None,
    closed: bool | None = None,
    visible_from: datetime | None | object = ...,
    context_keys: Iterable[str] = (),
) -> Thread:
    """Return the thread for key, creating it once; an existing thread is never changed here.

    Reading a page must not write: a moderator's closure stays until the owner syncs it.
    """
    # The key is unique: no ORDER BY to build (first() would add one on every page view).
    thread = next(iter(Thread.objects.filter(key=key).order_by()[:1]), None)
    if thread is not None:
        return thread
    wanted: dict[str, Any] = {
        "url": url[:URL_MAX],
        "title": title[:TITLE_MAX],
        "closes_at": _closes_at(published_at),
        "context_keys": list(context_keys),
    }
    if closed is not None:
        wanted.update(is_closed=closed, closed_by_page=closed)
    if visible_from is not ...:
        wanted["visible_from"] = visible_from
    with transaction.atomic():
        thread, _created = Thread.objects.get_or_create(key=key, defaults=wanted)
    return thread


def thread_sync(
    *,
    key: str,
    url: str,
    title: str,
    published_at: datetime | None,
    comments_enabled: bool,
    visible: bool,
    context_keys: Iterable[str] = (),
) -> Thread:
    """Bring a page's thread in line with the page after its owner saved it (not on reads).

    visible says whether the page is published or scheduled; it shows from published_at on.
    Turning comments off closes the thread; turning them on reopens it only if the page
    had closed it, so a moderator's closure is kept.
    """
    visible_from = (published_at or timezone.now()) if visible else None
    wanted: dict[str, Any] = {
        "url": url[:URL_MAX],
        "title": title[:TITLE_MAX],
        "closes_at": _closes_at(published_at),
        "visible_from": visible_from,
        "context_keys": list(context_keys),
    }
    with transaction.atomic():
        thread, created = Thread.objects.select_for_update().get_or_create(
            key=key,
            defaults={
                **wanted,
                "is_closed": not comments_enabled,
                "closed_by_page": not comments_enabled,
            },
        )
        if created:
            return thread
        if not comments_enabled:
            wanted.update(is_closed=True, closed_by_page=True)
        elif thread.closed_by_page:
            wanted.update(is_closed=False, closed_by_page=False)
        changed = {name: v for name, v in wanted.items() if getattr(thread, name) != v}
        if changed:
            Thread.objects.filter(pk=thread.pk).update(
                **changed, version=F("version") + 1, updated_at=timezone.now()
            )
            thread.refresh_from_db()
    return thread


def thread_close(
    *,
    thread: Thread,
    closed: bool = True,
    closes_at: datetime | None | object = ...,
    actor: User | None = None,
) -> Thread:
    """Close or reopen a thread to new comments, and optionally move when it closes by itself."""
    # A moderator's decision: a later save of the page does not undo it.
    changes: dict[str, Any] = {"is_closed": closed, "closed_by_page": False}
    if closes_at is not ...:
        changes["closes_at"] = closes_at
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(
            **changes, version=F("version") + 1, updated_at=timezone.now()
        )
        if actor is not None:
            audit_log(
                action="close" if closed else "reopen",
                actor=actor,
                object_key=f"thread:{thread.pk}",
                note=(
                    f"Closes by itself at {closes_at:%Y-%m-%d %H:%M} UTC."
                    if isinstance(closes_at, datetime)
                    else ""
                ),
            )
    thread.refresh_from_db()
    return thread


def thread_closing_schedule(
    *, thread: Thread, closes_at: datetime | None, actor: User | None = None
) -> Thread:
    """Move when a thread closes by itself, leaving open or closed (and by whom) as it is."""
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(
            closes_at=closes_at, version=F("version") + 1, updated_at=timezone.now()
        )
        if actor is not None:
            audit_log(
                action="close_schedule",
                actor=actor,
                object_key=f"thread:{thread.pk}",
                note=(
                    f"Closes by itself at {closes_at:%Y-%m-%d %H:%M} UTC."
                    if closes_at
                    else "Never closes by itself."
                ),
            )
    thread.refresh_from_db()
    return thread


def thread_recount(*, thread: Thread) -> Thread:
    """Recompute a thread's stored counters and every comment's descendant count exactly."""
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        rows = list(
            thread.comments.order_by("path").values_list("pk", "path", "status", "descendant_count")
        )
        counts: dict[str, int] = {}
        for _pk, path, status, _stored in rows:
            if status == Comment.Status.APPROVED:
                for ancestor in tree.ancestor_paths(path):
                    counts[ancestor] = counts.get(ancestor, 0) + 1
        # Only the counts that are wrong are written: a big import's leaves are already right.
        changed = [
            Comment(pk=pk, descendant_count=counts.get(path, 0))
            for pk, path, _status, stored in rows
            if stored != counts.get(path, 0)
        ]
        Comment.objects.bulk_update(changed, ["descendant_count"], batch_size=500)
        thread_counters_refresh(thread)
    return thread
