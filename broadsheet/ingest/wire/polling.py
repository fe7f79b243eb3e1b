"""Polling the wire: fetch each due feed, store its items as drafts, back off after failures."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from broadsheet.ingest.escaping import markdown_paragraphs
from broadsheet.ingest.models import WireFeed, WireItem
from broadsheet.ingest.wire.fetching import FetchError, fetch
from broadsheet.ingest.wire.grouping import wire_item_group
from broadsheet.ingest.wire.parsing import FeedError, ParsedItem, parse_feed
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Article

logger = logging.getLogger(__name__)

BACKOFF_CAP = timedelta(days=1)
ERROR_MAX = 1000


@dataclass(frozen=True)
class ItemStored:
    """What storing one parsed item did: created, updated, or nothing new."""

    item: WireItem
    created: bool = False
    updated: bool = False
    # True when a newer version came after an editor published or merged the draft.
    updated_after_edit: bool = False


@dataclass(frozen=True)
class FeedPolled:
    """How one feed's poll went."""

    feed_id: int
    status: str  # "ok", "not_modified" or "failed"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str = ""
    next_poll_at: datetime | None = None

    @property
    def ok(self) -> bool:
        """Whether the feed answered with something the desk could read (or nothing new)."""
        return self.status != "failed"


def backoff_delay(*, poll_minutes: int, failures: int) -> timedelta:
    """The wait before the next try: the feed's interval doubled per failure, at most a day."""
    minutes = max(1, poll_minutes) * 2 ** min(failures, 16)
    return min(timedelta(minutes=minutes), BACKOFF_CAP)


def _is_newer(parsed: ParsedItem, item: WireItem) -> bool:
    """A higher version, else a later update time, else (a feed with neither) changed text."""
    if parsed.version != item.version:
        return parsed.version > item.version
    if parsed.updated_at is not None and item.source_updated_at is not None:
        return parsed.updated_at > item.source_updated_at
    body = markdown_paragraphs(list(parsed.paragraphs))
    return (parsed.headline, parsed.lead, body) != (item.headline, item.lead, item.body)


def _item_fields(parsed: ParsedItem) -> dict[str, object]:
    return {
        "version": parsed.version,
        "headline": parsed.headline,
        "lead": parsed.lead,
        "body": markdown_paragraphs(list(parsed.paragraphs)),
        "captions": list(parsed.captions),
        "link": parsed.link,
        "published_at": parsed.published_at,
        "source_updated_at": parsed.updated_at,
        "embargo_until": parsed.embargo_until,
    }


def _draft_fields(parsed: ParsedItem, body: str) -> dict[str, object]:
    return {
        "headline": parsed.headline,
        "dek": parsed.lead,
        "body": body,
        "original_url": parsed.link,
        "embargo_until": parsed.embargo_until,
    }


def wire_item_store(*, feed: WireFeed, parsed: ParsedItem) -> ItemStored:
    """Store one item: a new one becomes a draft, a later version updates its draft."""
    with transaction.atomic():
        item = WireItem.objects.select_for_update().filter(feed=feed, guid=parsed.guid).first()
        fields = _item_fields(parsed)
        if item is None:
            article = newsroom.article_create(
                sources=[feed.source],
                **_draft_fields(parsed, str(fields["body"])),  # type: ignore[arg-type]
            )
            item = WireItem.objects.create(feed=feed, guid=parsed.guid, article=article, **fields)
            created = True
        elif _is_newer(parsed, item):
            for name, value in fields.items():
                setattr(item, name, value)
            item.fetched_at = timezone.now()
            draft = item.article
            merged = item.group is not None and item.group.merged_into_id is not None
            kept = draft is not None and (draft.status != Article.Status.DRAFT or merged)
            if kept:
                # The editor's work wins; the desk shows that the agency has moved on.
                item.data = {**item.data, "updated_after_edit": timezone.now().isoformat()}
            elif draft is not None:
                newsroom.article_update(
                    article=draft,
                    **_draft_fields(parsed, str(fields["body"])),  # type: ignore[arg-type]
                )
            item.save()
            return ItemStored(item=item, updated=True, updated_after_edit=kept)
        else:
            return ItemStored(item=item)
    if created:
        # Grouping reads other items; it runs after the new one is committed and visible.
        try:
            wire_item_group(item=item)
        except Exception:  # the story is in; an ungrouped item only waits for an editor
            logger.exception("wire item %s could not be grouped", item.pk)
    return ItemStored(item=item, created=created)


def _record_failure(feed: WireFeed, error: str, now: datetime) -> FeedPolled:
    with transaction.atomic():
        stored = WireFeed.objects.select_for_update().get(pk=feed.pk)
        stored.failures += 1
        stored.last_error = error[:ERROR_MAX]
        stored.last_polled_at = now
        stored.next_poll_at = now + backoff_delay(
            poll_minutes=stored.poll_minutes, failures=stored.failures
        )
        stored.data = {**stored.data, "last_error_at": now.isoformat()}
        stored.save()
    logger.warning("wire feed %s failed: %s", feed.pk, error)
    return FeedPolled(
        feed_id=feed.pk, status="failed", error=error, next_poll_at=stored.next_poll_at
    )


def wire_feed_poll(*, feed: WireFeed, now: datetime | None = None) -> FeedPolled:
    """Fetch one feed now and store what is new; a failure is recorded, never raised."""
    now = now or timezone.now()
    try:
        answer = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        parsed = [] if answer.not_modified else parse_feed(answer.content, fmt=feed.format)
    except (FetchError, FeedError) as exc:
        return _record_failure(feed, str(exc), now)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    item_errors = []
    for number, entry in enumerate(parsed, start=1):
        try:
            stored = wire_item_store(feed=feed, parsed=entry)
        except ValidationError as exc:
            # One unusable item is reported; the feed's other items still come in.
            item_errors.append(f"item {number} ({entry.guid}): {'; '.join(exc.messages)}")
            continue
        counts["created" if stored.created else "updated" if stored.updated else "unchanged"] += 1
    with transaction.atomic():
        stored_feed = WireFeed.objects.select_for_update().get(pk=feed.pk)
        stored_feed.failures = 0
        stored_feed.last_error = "\n".join(item_errors)[:ERROR_MAX]
        stored_feed.last_polled_at = stored_feed.last_ok_at = now
        stored_feed.next_poll_at = now + timedelta(minutes=max(1, stored_feed.poll_minutes))
        if not answer.not_modified:
            stored_feed.etag, stored_feed.last_modified = answer.etag, answer.last_modified
        stored_feed.save()
    return FeedPolled(
        feed_id=feed.pk,
        status="not_modified" if answer.not_modified else "ok",
        error=stored_feed.last_error,
        next_poll_at=stored_feed.next_poll_at,
        **counts,
    )


def wire_feeds_poll(*, feeds: list[WireFeed], now: datetime | None = None) -> list[FeedPolled]:
    """Poll each feed in turn; one broken feed never stops the others."""
    results = []
    for feed in feeds:
        try:
            results.append(wire_feed_poll(feed=feed, now=now))
        except Exception as exc:  # a bug or a database hiccup on one feed must not stop the rest
            logger.exception("wire feed %s could not be polled", feed.pk)
            results.append(_record_failure(feed, f"internal error: {exc}", now or timezone.now()))
    return results


def wire_feeds_due(*, now: datetime | None = None) -> list[WireFeed]:
    """The active feeds whose next poll time has come (or that were never polled)."""
    now = now or timezone.now()
    due = Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    return list(WireFeed.objects.filter(due, active=True).select_related("source").order_by("pk"))


def wire_poll_due(*, now: datetime | None = None) -> list[FeedPolled]:
    """Poll every active feed that is due."""
    return wire_feeds_poll(feeds=wire_feeds_due(now=now), now=now)


def wire_next_due() -> datetime | None:
    """When the next active feed falls due (now for a feed never polled); None without feeds."""
    feeds = WireFeed.objects.filter(active=True)
    if feeds.filter(next_poll_at__isnull=True).exists():
        return timezone.now()
    return feeds.order_by("next_poll_at").values_list("next_poll_at", flat=True).first()
