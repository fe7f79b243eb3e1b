"""`broadsheet wire_poll [--feed ID] [--all]`: poll wire feeds now."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from broadsheet.ingest.models import WireFeed
from broadsheet.ingest.wire import FeedPolled, wire_feeds_due, wire_feeds_poll


def describe(feed: WireFeed, result: FeedPolled) -> str:
    """One line per feed, as staff read it."""
    if result.status == "failed":
        return f"{feed}: failed ({result.error}); next try {result.next_poll_at:%Y-%m-%d %H:%M}"
    if result.status == "not_modified":
        return f"{feed}: not modified"
    line = f"{feed}: {result.created} new, {result.updated} updated, {result.unchanged} unchanged"
    return line + (f" ({result.error})" if result.error else "")


class Command(BaseCommand):
    help = "Poll the wire feeds that are due (or one feed, or every active feed) now."

    def add_arguments(self, parser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--feed", type=int, help="poll this feed (by id), due or not")
        which.add_argument("--all", action="store_true", help="poll every active feed now")

    def handle(self, *args, feed: int | None, all: bool, **options) -> None:  # noqa: A002
        if feed is not None:
            feeds = list(WireFeed.objects.select_related("source").filter(pk=feed))
            if not feeds:
                raise CommandError(f"There is no wire feed with id {feed}.")
        elif all:
            feeds = list(WireFeed.objects.select_related("source").filter(active=True))
        else:
            feeds = wire_feeds_due()
        results = wire_feeds_poll(feeds=feeds)
        for one, result in zip(feeds, results, strict=True):
            self.stdout.write(describe(one, result))
        failed = sum(1 for r in results if not r.ok)
        self.stdout.write(f"{len(results)} feed(s) polled, {failed} failed.")
