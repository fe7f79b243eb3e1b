"""Export and archive files are written whole or not at all."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from broadsheet.ingest.output import file_written_whole


def test_a_finished_file_replaces_the_target_readable_by_its_owner_only(tmp_path):
    target = tmp_path / "site.jsonl"
    target.write_text("the old archive\n")

    with file_written_whole(target, private=True) as out:
        out.write("the new archive\n")

    assert target.read_text() == "the new archive\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["site.jsonl"]


def test_a_failure_leaves_the_old_file_and_no_half_one(tmp_path):
    target = tmp_path / "site.xml"
    target.write_text("the old export\n")

    with pytest.raises(RuntimeError), file_written_whole(target) as out:
        out.write("half of it")
        raise RuntimeError("disk full")

    assert target.read_text() == "the old export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["site.xml"]


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(CommandError, match="the folder .*/nowhere does not exist"):
        with file_written_whole(tmp_path / "nowhere" / "site.xml"):
            pass
