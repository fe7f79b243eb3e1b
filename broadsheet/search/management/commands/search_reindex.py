"""Rebuild the full-text search index from the articles."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from broadsheet.core.progress import Progress
from broadsheet.search.services import index_rebuild


class Command(BaseCommand):
    """`broadsheet search_reindex [--batch-size N] [--dry-run]`: a wrapper over index_rebuild."""

    help = (
        "Rebuild the search index from every published and scheduled article, in batches; "
        "shows a progress bar on a terminal."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Articles written per transaction (default 500).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be indexed; write nothing."
        )

    def handle(self, *args, batch_size: int = 500, dry_run: bool = False, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        bar = Progress(self.stdout, label="Indexing", unit="articles")
        # A bar on a terminal only: in a log the summary line says it all for a rebuild.
        progress = bar.update if bar.tty else None
        result = index_rebuild(batch_size=batch_size, dry_run=dry_run, progress=progress)
        if progress:
            bar.finish()
        verb = "Would index" if result.dry_run else "Indexed"
        removed = "would remove" if result.dry_run else "removed"
        self.stdout.write(
            f"{verb} {result.indexed} article{'s' if result.indexed != 1 else ''}, "
            f"{removed} {result.removed} stale entr{'ies' if result.removed != 1 else 'y'} "
            f"in {result.seconds:.1f} s."
        )
