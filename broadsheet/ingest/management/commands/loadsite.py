"""`broadsheet loadsite FILE [--merge] [--dry-run]`: a dumpsite archive into this site."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from broadsheet.core.progress import Progress
from broadsheet.ingest.archive.load import ArchiveError, SiteLoaded, site_load


class Command(BaseCommand):
    help = (
        "Load a dumpsite archive in one transaction (a broken archive leaves the site as it "
        "was). Into an empty site it reproduces the archived site exactly; a site with content "
        "is refused unless --merge, which updates rows with the same natural key (username, "
        "slug, thread key, a comment's thread, time, author and text, ...) and adds the "
        "others (merged comments take the next places in their thread here). Users loaded "
        "without password hashes must reset their passwords."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the archive (JSON lines, as dumpsite writes it)")
        parser.add_argument(
            "--merge", action="store_true", help="merge into a site that already has content"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="load, count, then roll everything back"
        )

    def handle(self, *args, path: str, merge: bool, dry_run: bool, **options) -> None:
        progress = Progress(sys.stderr, label="Rows")
        try:
            result = site_load(
                path=Path(path),
                merge=merge,
                dry_run=dry_run,
                progress=lambda done, total: progress.advance(total=total),
            )
        except ArchiveError as exc:
            raise CommandError(str(exc)) from None
        progress.finish()
        for line in summary_lines(result):
            self.stdout.write(line)


def summary_lines(result: SiteLoaded) -> list[str]:
    """Say what came in, by row type."""
    head = "dry run, rolled back: would load" if result.dry_run else "loaded"
    created = sum(result.created.values())
    lines = [f"{head} {created:,} new rows from {result.site_url or 'an unnamed site'}"]
    if result.merge:
        lines[0] += f", {sum(result.updated.values()):,} updated"
    for name in sorted(set(result.created) | set(result.updated)):
        lines.append(
            f"  {name}: {result.created.get(name, 0)} new"
            + (f", {result.updated.get(name, 0)} updated" if result.merge else "")
        )
    lines.append(f"  image files: {result.media_files}")
    if not result.dry_run:
        lines.append("  next: broadsheet search_reindex; broadsheet image_renditions")
    return lines
