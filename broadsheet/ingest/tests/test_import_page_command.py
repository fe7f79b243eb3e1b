"""`broadsheet import_page`: the URL and a summary on success, a located error on a bad file."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from broadsheet.newsroom.models import Article, Credit, Image, Source

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_page", *args, stdout=out)
    return out.getvalue()


def nothing_written() -> bool:
    return not any(m.objects.exists() for m in (Article, Image, Source, Credit))


def test_import_prints_the_article_url_and_a_summary(seed_page):
    output = run(str(seed_page))

    article = Article.objects.get()
    lines = output.splitlines()
    assert lines[0] == settings.SITE_URL + article.get_absolute_url()
    assert lines[1] == f'created: "{article.headline}"'
    assert "captions: 2 wordings, near-duplicates" in output
    assert "credit line: FOX NEWS/AP/REUTERS" in output
    assert "comments: 7 parsed (the page says 7), 7 new stored" in output


def test_second_import_says_unchanged_and_keeps_one_article(seed_page):
    first = run(str(seed_page))
    second = run(str(seed_page))

    assert Article.objects.count() == 1
    assert second.splitlines()[0] == first.splitlines()[0]
    assert second.splitlines()[1].startswith("unchanged: ")
    assert "comments: 7 parsed (the page says 7), 0 new stored" in second


def test_dry_run_says_what_it_would_do_and_writes_nothing(seed_page):
    output = run(str(seed_page), "--dry-run")

    assert nothing_written()
    assert output.splitlines()[1].startswith("would create (dry run, nothing written): ")
    assert "7 new would be stored" in output
    assert "credit line: FOX NEWS/AP/REUTERS" in output


def test_dry_run_on_an_edited_page_lists_the_changed_fields(seed_page, tmp_path):
    run(str(seed_page))
    edited = tmp_path / "edited.txt"
    edited.write_text(
        seed_page.read_text(encoding="utf-8").replace("FOX NEWS/AP/REUTERS", "AP/REUTERS"),
        encoding="utf-8",
    )

    output = run(str(edited), "--dry-run")

    assert "would update (dry run, nothing written)" in output
    assert "  changed: credit_line (FOX NEWS/AP/REUTERS → AP/REUTERS)" in output
    assert Article.objects.get().credit_line == "FOX NEWS/AP/REUTERS"


def test_bad_file_raises_command_error_naming_the_line_and_writes_nothing(seed_page, tmp_path):
    lines = seed_page.read_text(encoding="utf-8").split("\n")
    lines[2] = "Shared:"  # the share row under the headline is line 3
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines), encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        run(str(bad))

    assert str(caught.value).startswith(f"{bad}:3: expected the share row")
    assert nothing_written()


def test_missing_file_raises_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        run(str(tmp_path / "missing.txt"))


def test_command_line_reports_a_bad_file_as_error_path_line_and_exits_1(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings_test",
        "DATA_DIR": str(tmp_path / "data"),
    }

    done = subprocess.run(
        [sys.executable, "-m", "broadsheet", "import_page", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip() == (
        f"error: {bad}:1: expected the headline on the first line, not indented, "
        "found the end of the file"
    )
