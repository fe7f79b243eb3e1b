"""import_disqus on bad files: one clear line naming the file and place, exit 1, nothing written."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from broadsheet.discussion.models import Comment, Thread

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "data" / "disqus_export.xml"
ROOT = Path(__file__).resolve().parents[3]


def refused(path: Path) -> str:
    with pytest.raises(CommandError) as info:
        call_command("import_disqus", str(path))
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def write(tmp_path: Path, text: str | bytes, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_a_file_that_is_not_xml(tmp_path):
    path = write(tmp_path, "thread,post\n1,hello\n")
    assert "not well-formed XML at line 1, column 1" in refused(path)
    assert Comment.objects.count() == 0


def test_a_wordpress_export_is_named_for_what_it_is(tmp_path):
    path = write(
        tmp_path,
        '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">'
        "<channel><item><title>Hi</title></item></channel></rss>",
    )
    message = refused(path)
    assert "not a Disqus export: the root element is <rss>" in message
    assert "import_wxr" in message


def test_a_truncated_file_says_where_it_ends_and_keeps_no_half_batch(tmp_path):
    text = EXPORT.read_text()
    cut = text.index('<post dsq:id="5002">') + 40
    path = write(tmp_path, text[:cut])
    message = refused(path)
    assert "not well-formed XML at line" in message and "truncated?" in message
    # Posts are stored in batches, each whole; the batch the file broke off in is not stored.
    assert Comment.objects.count() == 0

    # The whole file, once it comes, imports everything once.
    path.write_text(text)
    call_command("import_disqus", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Comment.objects.count() == 7


def test_an_unknown_encoding(tmp_path):
    path = write(
        tmp_path,
        '<?xml version="1.0" encoding="klingon-8"?><disqus xmlns="http://disqus.com"/>',
    )
    assert "encoding" in refused(path)


def test_a_file_too_big_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.xml"
    with path.open("wb") as stream:
        stream.truncate(2 * 1024**3)  # sparse: 2 GB on paper, nothing on disk
    message = refused(path)
    assert "2,147 MB is more than" in message


def test_billion_laughs_is_refused(tmp_path):
    path = write(
        tmp_path,
        '<?xml version="1.0"?>\n<!DOCTYPE disqus [\n<!ENTITY lol "lol">\n'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        '<disqus xmlns="http://disqus.com">&lol2;</disqus>',
    )
    message = refused(path)
    assert "refused at line 3" in message and "declares entities" in message
    assert Thread.objects.count() == 0


def test_a_post_without_its_id_names_its_line(tmp_path):
    text = EXPORT.read_text().replace('<post dsq:id="5004">', "<post>")
    message = refused(write(tmp_path, text))
    line = text[: text.index("<post>")].count("\n") + 1
    assert f"line {line}: <post> has no dsq:id attribute." in message


def test_a_missing_file(tmp_path):
    assert "no such file" in refused(tmp_path / "nope.xml")


def test_the_command_exits_1_with_one_line_and_no_traceback(tmp_path):
    path = write(tmp_path, "not xml at all")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings_test"}
    done = subprocess.run(
        [sys.executable, "-m", "broadsheet", "import_disqus", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"CommandError: {path}: not well-formed XML at line 1, column 1")
