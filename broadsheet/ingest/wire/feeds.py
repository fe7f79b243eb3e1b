"""Staff's wire feeds: add, change, remove (the admin writes through these)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from broadsheet.ingest.models import WireFeed
from broadsheet.newsroom.models import Source

EDITABLE = {"source", "url", "format", "poll_minutes", "active"}


def _checked(fields: dict[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    if "url" in fields:
        fields["url"] = str(fields["url"]).strip()
        URLValidator(schemes=["http", "https"])(fields["url"])
    if "format" in fields and fields["format"] not in WireFeed.Format.values:
        raise ValidationError({"format": f"Unknown format {fields['format']!r}."})
    if "poll_minutes" in fields and int(fields["poll_minutes"]) < 1:
        raise ValidationError({"poll_minutes": "Poll at most once a minute."})
    return fields


def wire_feed_create(
    *,
    source: Source,
    url: str,
    format: str = WireFeed.Format.AUTO,  # noqa: A002 (the model's field name)
    poll_minutes: int = 10,
    active: bool = True,
) -> WireFeed:
    """Add a feed to poll for a source; its first poll is due at once."""
    fields = _checked({"url": url, "format": format, "poll_minutes": poll_minutes})
    if WireFeed.objects.filter(source=source, url=fields["url"]).exists():
        raise ValidationError({"url": "This source already has a feed at that address."})
    with transaction.atomic():
        return WireFeed.objects.create(source=source, active=active, **fields)


def wire_feed_update(*, feed: WireFeed, **changes: Any) -> WireFeed:
    """Change a feed's settings; a new address starts afresh (no validators, no back-off)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(f"Not editable: {', '.join(sorted(unknown))}.")
    changes = _checked(dict(changes))
    with transaction.atomic():
        stored = WireFeed.objects.select_for_update().get(pk=feed.pk)
        if "url" in changes and changes["url"] != stored.url:
            stored.etag = stored.last_modified = stored.last_error = ""
            stored.failures = 0
            stored.next_poll_at = None
        if changes.get("active") and not stored.active:
            stored.next_poll_at = None  # switched back on: poll at the next round
        for name, value in changes.items():
            setattr(stored, name, value)
        stored.save()
    return stored


def wire_feed_delete(*, feed: WireFeed) -> None:
    """Remove a feed with its items; the drafts they made stay with the editors."""
    with transaction.atomic():
        feed.delete()
