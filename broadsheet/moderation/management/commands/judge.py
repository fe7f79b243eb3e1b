"""`broadsheet judge`: judge comments from stdin and print each verdict as a JSON line."""

from __future__ import annotations

import json
import sys
from itertools import islice

from django.core.management.base import BaseCommand

from broadsheet.moderation.judge import judge_many
from broadsheet.moderation.verdicts import Submission

BATCH = 64


def submission_from_line(line: str, *, context_keys: tuple[str, ...]) -> Submission:
    """A JSON object line gives text, name, email, url; any other line is the comment's text."""
    stripped = line.strip()
    data = None
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            data = None
    if isinstance(data, dict):
        text = data.get("text")
        if not isinstance(text, str):
            raise ValueError('a JSON line needs a "text" string')
        return Submission(
            text=text,
            author_name=str(data.get("name") or ""),
            author_email=str(data.get("email") or ""),
            author_url=str(data.get("url") or ""),
            context_keys=context_keys,
            dry_run=True,
        )
    return Submission(text=line.rstrip("\r\n"), context_keys=context_keys, dry_run=True)


class Command(BaseCommand):
    help = (
        "Judge comments read from stdin (one per line, or JSON lines with text, name, email, url) "
        "and print each verdict as a JSON line. Stores nothing and counts no rate limits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--context",
            action="append",
            default=[],
            metavar="KEY",
            help='Context key for per-context policy, e.g. "section:world" (repeatable).',
        )

    def handle(self, *args, **options):
        context_keys = tuple(options["context"])
        lines = ((number, line) for number, line in enumerate(sys.stdin, start=1) if line.strip())
        while chunk := list(islice(lines, BATCH)):
            items, results = [], {}
            for number, line in chunk:
                try:
                    items.append((number, submission_from_line(line, context_keys=context_keys)))
                except ValueError as exc:
                    results[number] = {"line": number, "error": str(exc)}
            verdicts = judge_many([s for _, s in items])
            for (number, _), verdict in zip(items, verdicts, strict=True):
                results[number] = {"line": number, **verdict.as_dict()}
            for number, _ in chunk:
                self.stdout.write(json.dumps(results[number], ensure_ascii=False))
