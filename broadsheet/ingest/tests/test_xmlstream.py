"""The XML record stream: records with their lines, and every bad file refused with its place."""

from __future__ import annotations

import pytest

from broadsheet.ingest.xmlstream import ImportFileError, RecordStream

WP = "http://wordpress.org/export/1.2/"
DOC = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="{WP}">
<channel>
  <title>Harbour Gazette</title>
  <link>https://gazette.example.com</link>
  <item>
    <title>First &amp; foremost</title>
    <wp:post_id>7</wp:post_id>
  </item>
  <item>
    <title>Café reopens</title>
    <wp:post_id>8</wp:post_id>
  </item>
</channel>
</rss>
"""


def stream(tmp_path, text: str | bytes, **options) -> RecordStream:
    path = tmp_path / "export.xml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return RecordStream(path, record_tags={"item"}, header_parent="channel", **options)


def test_records_come_with_their_lines_and_the_header_with_its_texts(tmp_path):
    records = stream(tmp_path, DOC)
    items = list(records)

    assert [(r.element.findtext("title"), r.line) for r in items] == [
        ("First & foremost", 6),
        ("Café reopens", 10),
    ]
    assert items[1].element.findtext(f"{{{WP}}}post_id") == "8"
    assert records.header["title"] == "Harbour Gazette"
    assert records.header["link"] == "https://gazette.example.com"
    assert records.root_tag() == ""  # the document is closed: nothing open any more


def test_a_billion_laughs_file_is_refused_before_anything_expands(tmp_path):
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
        ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
        "]>\n<rss><channel><item><title>&lol3;</title></item></channel></rss>\n"
    )
    with pytest.raises(
        ImportFileError, match=r"export\.xml: refused at line 3, .*declares entities"
    ):
        list(stream(tmp_path, laughs))


def test_an_external_entity_is_refused(tmp_path):
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<rss><channel><item><title>&x;</title></item></channel></rss>\n"
    )
    with pytest.raises(ImportFileError, match="refused at line 2"):
        list(stream(tmp_path, xxe))


def test_a_truncated_file_names_the_line_and_says_it_ends_too_soon(tmp_path):
    cut = DOC[: DOC.index("<title>Café")]
    records = stream(tmp_path, cut)
    seen = []
    with pytest.raises(
        ImportFileError,
        match=r"not well-formed XML at line 11, column 5: no element found.*truncated\?",
    ):
        for record in records:
            seen.append(record.element.findtext("title"))
    assert seen == ["First & foremost"]  # what came before the cut was read


def test_a_file_that_is_not_xml_is_refused_at_its_first_line(tmp_path):
    with pytest.raises(ImportFileError, match="not well-formed XML at line 1, column 1"):
        list(stream(tmp_path, "post_id,title\n7,First\n"))


def test_an_unknown_encoding_is_named(tmp_path):
    odd = '<?xml version="1.0" encoding="x-martian"?>\n<rss><channel/></rss>\n'
    with pytest.raises(ImportFileError, match="x-martian|encoding"):
        list(stream(tmp_path, odd))


def test_missing_empty_and_too_big_files_are_refused_before_parsing(tmp_path):
    with pytest.raises(ImportFileError, match="no such file"):
        RecordStream(tmp_path / "nothing.xml", record_tags={"item"})
    with pytest.raises(ImportFileError, match="the file is empty"):
        stream(tmp_path, b"")
    with pytest.raises(ImportFileError, match="more than the 0 MB an import reads"):
        stream(tmp_path, DOC, max_bytes=100)


def test_a_two_gigabyte_file_is_refused_by_size_without_being_read(tmp_path):
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as f:  # sparse: no disk or memory spent
        f.truncate(2 * 1024**3)
    with pytest.raises(ImportFileError, match="2,147 MB is more than the 1,074 MB"):
        RecordStream(huge, record_tags={"item"})


def test_streamed_children_come_one_by_one_between_their_records_head_and_end(tmp_path):
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:wp="{WP}"><channel>
<item>
  <title>Busy thread</title>
  <wp:comment><wp:comment_id>1</wp:comment_id></wp:comment>
  <wp:comment><wp:comment_id>2</wp:comment_id></wp:comment>
  <category>After the comments</category>
</item>
<item><title>Quiet</title></item>
</channel></rss>
"""
    path = tmp_path / "export.xml"
    path.write_text(doc)
    records = RecordStream(path, record_tags={"item"}, child_tags={f"{{{WP}}}comment"})

    seen = [
        (r.kind, r.line, r.element.findtext("title") or r.element.findtext(f"{{{WP}}}comment_id"))
        for r in records
    ]

    assert seen == [
        ("head", 3, "Busy thread"),
        ("child", 5, "1"),
        ("child", 6, "2"),
        ("end", 3, "Busy thread"),
        ("whole", 9, "Quiet"),
    ]
