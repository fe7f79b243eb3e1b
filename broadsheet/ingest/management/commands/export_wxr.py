"""`broadsheet export_wxr [--output FILE]`: the site as a WordPress export (WXR 1.2)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from broadsheet.core.progress import CommandText, Progress
from broadsheet.ingest.output import file_written_whole
from broadsheet.ingest.wordpress.exporter import WxrExported, wxr_export


class Command(BaseCommand):
    help = (
        "Export articles, sections, tags, authors, images and comments as a WordPress WXR 1.2 "
        "file. The export is for the site's owner: it includes commenters' and staff users' "
        "email addresses (never IP addresses, which are stored only hashed)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", "-o", help="write to this file (default: standard output)", default=""
        )

    def handle(self, *args, output: str, **options) -> None:
        if not output:
            wxr_export(out=CommandText(self.stdout))  # type: ignore[arg-type]
            return
        target = Path(output)
        progress = Progress(sys.stderr, label="Articles")
        with file_written_whole(target) as out:
            result = wxr_export(out=out, progress=lambda done, total: progress.advance(total=total))
        progress.finish()
        self.stdout.write(f"{target}: " + summary(result))


def summary(result: WxrExported) -> str:
    """Say in one line what the export holds, and what it could not hold."""
    text = (
        f"{result.articles} articles, {result.attachments} images, {result.authors} authors, "
        f"{result.sections} sections, {result.tags} tags, {result.comments} comments, "
        f"{result.linkbacks} pingbacks/trackbacks"
    )
    if result.skipped_threads:
        text += (
            f"; not exported: {result.skipped_comments} comments in {result.skipped_threads} "
            "threads of pages that are not articles "
            "(WXR has no place for them; dumpsite keeps them)"
        )
    return text
