"""Bad WXR files end with one clear line and exit code 1; a broken post leaves the rest."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from broadsheet.discussion.models import Comment
from broadsheet.ingest.wordpress.importer import wxr_import
from broadsheet.newsroom.models import Article, Image

pytestmark = pytest.mark.django_db

WXR = Path(__file__).parent / "data" / "wordpress6.xml"


def run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_wxr", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(path: Path) -> str:
    with pytest.raises(CommandError) as caught:
        run(path)
    assert not Article.objects.exists() and not Comment.objects.exists()
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_not_xml(tmp_path):
    bad = tmp_path / "export.xml"
    bad.write_text("title,body\nHello,World\n")

    assert "not well-formed XML at line 1" in refused(bad)


def test_xml_that_is_not_a_wordpress_export_names_its_root(tmp_path):
    bad = tmp_path / "disqus.xml"
    bad.write_text('<?xml version="1.0"?>\n<disqus xmlns="http://disqus.com"><thread/></disqus>\n')

    assert "not a WordPress export: the root element is <disqus>" in refused(bad)


def test_a_plain_rss_feed_is_not_an_export(tmp_path):
    bad = tmp_path / "feed.xml"
    bad.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title><link>https://x.example'
        "</link><item><title>A</title></item></channel></rss>"
    )

    assert "an RSS feed, not a WordPress export" in refused(bad)


def test_truncated_file_leaves_nothing_of_the_post_it_broke(tmp_path):
    text = WXR.read_text()
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: text.index("<wp:comment_id>105</wp:comment_id>")])

    with pytest.raises(CommandError) as caught:
        run(cut)

    assert "the file ends too soon: truncated?" in str(caught.value)
    assert not Article.objects.filter(headline__startswith="Café").exists()
    assert not Comment.objects.exists()


def test_unknown_encoding(tmp_path):
    bad = tmp_path / "ebcdic.xml"
    bad.write_bytes(b'<?xml version="1.0" encoding="x-klingon"?>\n<rss></rss>\n')

    message = refused(bad)
    assert "encoding" in message


def test_a_2_gb_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as stream:
        stream.write(WXR.read_bytes())
        stream.truncate(2 * 1024**3)  # sparse: costs no disk

    message = refused(huge)
    assert "2,147 MB is more than the 1,074 MB an import reads" in message


def test_billion_laughs_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        "<rss><channel><item><title>&lol2;</title></item></channel></rss>\n"
    )

    assert "declares entities" in refused(bomb)


def test_a_broken_post_is_reported_with_its_line_and_the_others_import(tmp_path):
    text = WXR.read_text()
    broken = text.replace(
        "<wp:status><![CDATA[publish]]></wp:status>\n\t\t<wp:post_parent>0</wp:post_parent>\n"
        "\t\t<wp:menu_order>0</wp:menu_order>\n\t\t<wp:post_type><![CDATA[post]]></wp:post_type>"
        "\n\t\t<wp:post_password><![CDATA[]]></wp:post_password>\n\t\t<wp:is_sticky>0</wp:is_sticky>"
        '\n\t\t<category domain="category" nicename="politics">',
        "<wp:status><![CDATA[exploded]]></wp:status>\n\t\t<wp:post_parent>0</wp:post_parent>\n"
        "\t\t<wp:menu_order>0</wp:menu_order>\n\t\t<wp:post_type><![CDATA[post]]></wp:post_type>"
        "\n\t\t<wp:post_password><![CDATA[]]></wp:post_password>\n\t\t<wp:is_sticky>0</wp:is_sticky>"
        '\n\t\t<category domain="category" nicename="politics">',
        1,
    )
    assert broken != text
    path = tmp_path / "broken.xml"
    path.write_text(broken)
    line = broken[: broken.index("Council approves new bridge")].count("\n")  # the <item> line

    summary = wxr_import(path=path)

    assert summary.errors == (
        f"item at line {line} (post 14 'Council approves new bridge'): "
        "unknown wp:status 'exploded'",
    )
    assert summary.posts.created == 3
    assert not Article.objects.filter(headline__startswith="Council").exists()
    assert not Comment.objects.filter(author_name="Hana Sato").exists()
    assert Comment.objects.filter(author_name="Ann Reader").count() == 2
    assert Image.objects.count() == 1


def test_the_command_exits_1_with_one_line_and_no_traceback(tmp_path):
    bad = tmp_path / "export.xml"
    bad.write_text("not xml at all")
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data")}
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"],
        env={**env, "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings"},
        check=True,
    )

    done = subprocess.run(
        [sys.executable, "-m", "django", "import_wxr", str(bad)],
        env={**env, "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings"},
        capture_output=True,
        text=True,
    )

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith(f"error: {bad}: not well-formed XML")
