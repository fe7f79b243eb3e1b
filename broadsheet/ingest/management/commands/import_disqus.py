"""`broadsheet import_disqus FILE [--dry-run]`: a Disqus XML export's threads and comments."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from broadsheet.core.progress import Progress
from broadsheet.ingest.disqus.importer import DisqusImported, disqus_import
from broadsheet.ingest.xmlstream import ImportFileError


class Command(BaseCommand):
    help = (
        "Import a Disqus XML export: threads matched to articles by URL or identifier (others "
        "kept as threads keyed by URL, for the embed widget), posts with their replies, deleted "
        "and spam flags. Re-importing adds nothing already imported."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the Disqus export (XML, as Disqus mails it)")
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be imported, write nothing"
        )

    def handle(self, *args, path: str, dry_run: bool, **options) -> None:
        progress = Progress(sys.stderr, label="Threads and posts")
        try:
            result = disqus_import(
                path=Path(path),
                dry_run=dry_run,
                progress=lambda done, total: progress.advance(),
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        progress.finish()
        for line in summary_lines(result):
            self.stdout.write(line)


def summary_lines(result: DisqusImported) -> list[str]:
    """Say what came in, what was already there, and what was skipped and why."""
    head = "dry run, nothing written: would import" if result.dry_run else "imported"
    statuses = ", ".join(f"{n} {status}" for status, n in sorted(result.statuses.items()))
    lines = [
        f"{head} {result.created} of {result.posts} posts" + (f" ({statuses})" if statuses else ""),
        f"  threads: {result.threads} ({result.threads_matched} matched to articles, "
        f"{result.threads_external} kept as external pages)",
        f"  already imported: {result.unchanged}",
        f"  for moderators to review (the referee would not have published them): "
        f"{result.for_review}",
    ]
    if result.orphans:
        lines.append(f"  replies whose parent is not in the file, put at the top: {result.orphans}")
    lines.extend(f"  skipped: {n} {reason}" for reason, n in sorted(result.skipped.items()))
    return lines
