"""`broadsheet import_page PATH [--dry-run]`: import a page in the plain-text page format."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from broadsheet.ingest.seed_format import ParsedPage, ParseError, read_page_file
from broadsheet.ingest.services import ImportResult, page_import


class PageFileError(CommandError):
    """The file could not be read or is not in the page format; nothing was written."""


class Command(BaseCommand):
    help = "Import an article page in the plain-text page format; re-importing updates it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the page file (UTF-8 text)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change and write nothing"
        )

    def run_from_argv(self, argv: list[str]) -> None:
        # A bad file is reported compiler-style, "error: path:line: message", which editors and
        # CI logs link to; Django itself would print "CommandError: ...".
        wants_traceback = "--traceback" in argv
        try:
            super().run_from_argv(argv if wants_traceback else [*argv, "--traceback"])
        except CommandError as exc:
            if wants_traceback:
                raise
            prefix = "error" if isinstance(exc, PageFileError) else type(exc).__name__
            self.stderr.write(f"{prefix}: {exc}")
            sys.exit(exc.returncode)

    def handle(self, *args, path: str, dry_run: bool, **options) -> None:
        try:
            parsed = read_page_file(path)
        except OSError as exc:
            raise PageFileError(f"{path}: cannot read the file ({exc.strerror})") from None
        except ParseError as exc:
            raise PageFileError(f"{path}:{exc.line}: {exc.message}") from None
        result = page_import(parsed=parsed, dry_run=dry_run)
        self.stdout.write(result.url)
        for line in summary_lines(result, parsed):
            self.stdout.write(line)


def summary_lines(result: ImportResult, parsed: ParsedPage) -> list[str]:
    """Describe an import in a few lines for the terminal."""
    verb = "created" if result.created else ("updated" if result.changes else "unchanged")
    if result.dry_run:
        verb = {"created": "would create", "updated": "would update"}.get(verb, verb)
        verb += " (dry run, nothing written)"
    lines = [f'{verb}: "{result.fields["headline"]}"']
    if result.changes and not result.created:
        lines.append("  changed: " + ", ".join(_change(n, *v) for n, v in result.changes.items()))
    if parsed.second_caption:
        kind = "near-duplicates" if parsed.captions_near_duplicate else "different"
        lines.append(f"  captions: 2 wordings, {kind} (similarity {parsed.caption_similarity:.2f})")
    else:
        lines.append(f"  captions: {1 if parsed.caption else 0}")
    lines.append(f"  credit line: {result.fields['credit_line']}")
    said = "" if parsed.responses_count is None else f" (the page says {parsed.responses_count})"
    stored = "would be stored" if result.dry_run else "stored"
    lines.append(
        f"  comments: {result.comments_parsed} parsed{said}, {result.comments_created} new {stored}"
    )
    lines.extend(f"  warning: {warning}" for warning in result.warnings)
    return lines


def _change(name: str, old: object, new: object) -> str:
    """Name a changed field, with its old and new values when they are short enough to read."""
    if all(isinstance(v, int | str) and len(str(v)) <= 40 for v in (old, new)):
        return f"{name} ({old} → {new})"
    return name
