"""`broadsheet import_wxr FILE`: a WordPress export in.

Options: --dry-run, --pingbacks keep|skip, --moderate, --media-dir DIR.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from broadsheet.core.progress import Progress
from broadsheet.ingest.wordpress.importer import PINGBACK_CHOICES, wxr_import
from broadsheet.ingest.xmlstream import ImportFileError


class Command(BaseCommand):
    help = "Import a WordPress export (WXR 1.1/1.2): posts, images, comments, old addresses."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the WXR file (Tools → Export in WordPress)")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change and write nothing"
        )
        parser.add_argument(
            "--pingbacks",
            choices=PINGBACK_CHOICES,
            default="keep",
            help="keep pingbacks and trackbacks (shown apart from comments) or skip them",
        )
        parser.add_argument(
            "--moderate",
            action="store_true",
            help="apply the referee's decisions instead of keeping each comment's old status",
        )
        parser.add_argument(
            "--media-dir", help="the old site's wp-content/uploads folder, for the image files"
        )

    def run_from_argv(self, argv: list[str]) -> None:
        # One clear line and exit code 1 for a bad file, never a traceback (unless asked for).
        wants_traceback = "--traceback" in argv
        try:
            super().run_from_argv(argv if wants_traceback else [*argv, "--traceback"])
        except CommandError as exc:
            if wants_traceback:
                raise
            self.stderr.write(f"error: {exc}")
            sys.exit(exc.returncode)

    def handle(self, *args, path: str, dry_run: bool, pingbacks: str, moderate: bool, **options):
        media = options.get("media_dir")
        progress = Progress(self.stderr, label="Importing", unit="bytes")
        try:
            summary = wxr_import(
                path=Path(path),
                dry_run=dry_run,
                pingbacks=pingbacks,
                moderate=moderate,
                media_dir=Path(media) if media else None,
                progress=progress,
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for line in summary.lines():
            self.stdout.write(line)
        if summary.errors:
            raise CommandError(
                f"{len(summary.errors)} item(s) could not be imported (listed above); "
                "the others were."
            )
