"""loadsite on bad archives: one clear line naming the file and line, and the site as it was."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from broadsheet.ingest.tests.test_site_archive import build_site, dump, wipe
from broadsheet.newsroom.models import Article, Image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def lines(media_root) -> list[str]:
    build_site()
    rows = dump()
    wipe(media_root)
    return rows


def refused(path) -> str:
    with pytest.raises(CommandError) as info:
        call_command("loadsite", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def write(tmp_path, text: str | bytes):
    path = tmp_path / "site.jsonl"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def nothing_loaded(media_root) -> bool:
    files = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    return Article.objects.count() == 0 and Image.objects.count() == 0 and files == []


def test_not_json(tmp_path, media_root):
    message = refused(write(tmp_path, "<?xml version='1.0'?><rss/>\n"))
    assert "line 1, column 1: not JSON" in message


def test_json_lines_of_another_kind(tmp_path):
    message = refused(write(tmp_path, json.dumps({"format": "ghost-export", "version": 5}) + "\n"))
    assert "line 1: not a Broadsheet site archive" in message and "'ghost-export'" in message


def test_a_newer_version_is_refused_with_what_to_do(tmp_path):
    header = {"format": "broadsheet-site", "version": 2}
    message = refused(write(tmp_path, json.dumps(header) + "\n"))
    assert "archive version 2 was made by a newer Broadsheet" in message
    assert "Upgrade Broadsheet" in message


def test_a_broken_line_late_in_the_archive_leaves_the_site_as_it_was(tmp_path, media_root, lines):
    broken = [*lines[:-1], '{"type": "ban", "pk": 1, "email": ', lines[-1]]
    message = refused(write(tmp_path, "\n".join(broken) + "\n"))
    assert f"line {len(lines)}, column" in message and "not JSON" in message
    # The image and every row before the break were rolled back, the stored file removed.
    assert nothing_loaded(media_root)


def test_a_truncated_archive_is_refused_whole(tmp_path, media_root, lines):
    text = "\n".join(lines) + "\n"
    message = refused(write(tmp_path, text[: len(text) - 30]))
    assert f"line {len(lines)}: the line is cut off (the archive is truncated)." in message
    assert nothing_loaded(media_root)


def test_text_that_is_not_utf8(tmp_path, media_root, lines):
    bad = "\n".join(lines[:3]).encode() + b'\n{"type": "tag", "name": "\xff\xfe"}\n'
    message = refused(write(tmp_path, bad))
    assert "line 4: not UTF-8 text" in message
    assert nothing_loaded(media_root)


def test_an_unknown_row_type(tmp_path, media_root, lines):
    message = refused(
        write(tmp_path, "\n".join([*lines[:2], '{"type": "spaceship", "pk": 1}']) + "\n")
    )
    assert "line 3: unknown row type 'spaceship'." in message


def test_a_row_pointing_at_nothing(tmp_path, media_root, lines):
    rows = [json.loads(line) for line in lines]
    for row in rows:
        if row.get("type") == "comment":
            row["thread"] = 999_999
    message = refused(write(tmp_path, "\n".join(json.dumps(r) for r in rows) + "\n"))
    assert "points at a row the archive does not hold" in message or "cannot be stored" in message
    assert nothing_loaded(media_root)


def test_a_field_that_cannot_be_read(tmp_path, media_root, lines):
    rows = [json.loads(line) for line in lines]
    number = next(i for i, r in enumerate(rows) if r.get("type") == "article") + 1
    rows[number - 1]["published_at"] = "last Tuesday"
    message = refused(write(tmp_path, "\n".join(json.dumps(r) for r in rows) + "\n"))
    assert f"line {number}: article field 'published_at' has a value that cannot be read" in message
    assert nothing_loaded(media_root)


def test_an_empty_or_missing_file(tmp_path):
    assert "the file is empty" in refused(write(tmp_path, ""))
    assert "no such file" in refused(tmp_path / "nope.jsonl")


def test_the_command_exits_1_with_one_line_and_no_traceback(tmp_path):
    import os
    import subprocess
    import sys

    path = write(tmp_path, "PK\x03\x04 not an archive\n")
    done = subprocess.run(
        [sys.executable, "-m", "broadsheet", "loadsite", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings_test"},
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"CommandError: {path}, line 1, column 1: not JSON (Expecting value)."
    ]
