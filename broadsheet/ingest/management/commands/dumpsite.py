"""`broadsheet dumpsite [--output FILE] [--with-secrets]`: the whole site as one archive."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from broadsheet.core.progress import CommandText, Progress
from broadsheet.ingest.archive.dump import site_dump
from broadsheet.ingest.output import file_written_whole


class Command(BaseCommand):
    help = (
        "Write the whole site (articles, images with their files, sections, tags, sources, "
        "credits, authors, topics, corrections, threads, comments with their moderation state "
        "and verdicts, reports, word lists, bans, policies, audit log, users and their groups) "
        "as one versioned JSON-lines archive for backups and moves. Users' email addresses are "
        "always included; password hashes only with --with-secrets. Keep the file private."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", "-o", default="", help="the archive file (default: stdout)")
        parser.add_argument(
            "--with-secrets",
            action="store_true",
            help="include users' password hashes, so they sign in on the new site as before",
        )

    def handle(self, *args, output: str, with_secrets: bool, **options) -> None:
        if not output:
            site_dump(out=CommandText(self.stdout), with_secrets=with_secrets)  # type: ignore[arg-type]
            return
        target = Path(output)
        progress = Progress(sys.stderr, label="Rows")
        # Emails (and maybe password hashes) inside: readable by its owner only.
        with file_written_whole(target, private=True) as out:
            result = site_dump(
                out=out,
                with_secrets=with_secrets,
                progress=lambda done, total: progress.advance(total=total),
            )
        progress.finish()
        rows = sum(result.counts.values())
        self.stdout.write(
            f"{target}: {rows:,} rows, {result.media_bytes / 1e6:,.1f} MB of image files"
            + ("; with password hashes" if with_secrets else "; without password hashes")
        )
