"""export_wxr: every article, term, author, image and comment, as WordPress's importer reads it."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from defusedxml import ElementTree
from django.core.management import call_command

from broadsheet.discussion import services as discussion
from broadsheet.discussion.models import Thread
from broadsheet.ingest.models import Linkback
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.tests.factories import UserFactory, jpeg_bytes

pytestmark = pytest.mark.django_db

NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
WHEN = datetime(2024, 3, 5, 14, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://news.example.org"
    return settings.MEDIA_ROOT


def build_site():
    world = newsroom.section_create(name="World", slug="world")
    iran = newsroom.tag_create(name="Iran", slug="iran")
    ships = newsroom.tag_create(name="Ships & Boats", slug="ships")
    editor = UserFactory.create(
        username="mgreene", display_name="Maya Greene", email="maya@news.example.org"
    )
    photo = newsroom.image_create(
        content=jpeg_bytes(),
        filename="harbour.jpg",
        caption="Boats in the harbour at dawn.",
        alt_text="Fishing boats moored",
        credit="Jo Lens / Harbour Agency",
    )
    article = newsroom.article_create(
        headline="Harbour <reopens> & boats return",
        body="The harbour reopened on **Monday**.\n\nBoats returned by noon.",
        dek="A dek that ends ]]> like CDATA",
        section=world,
        tags=[iran, ships],
        bylines=[
            newsroom.BylineSpec(user=editor),
            newsroom.BylineSpec(name="Sam Wire", role="Agency writer"),
        ],
        lead_image=photo,
        slug="harbour-reopens",
    )
    article = newsroom.article_publish(article=article, now=WHEN)
    draft = newsroom.article_create(headline="Draft on the dock", body="Not yet.", slug="dock")
    thread = article_thread(article)
    discussion.comment_bulk_import(
        thread=thread,
        items=[
            discussion.BulkComment(
                author_name="Ada", body="First!", author_email="ada@example.org"
            ),
            discussion.BulkComment(author_name="Bo", body="Reply to Ada", parent=0),
            discussion.BulkComment(author_name="Cy", body="Deeper", parent=1),
            discussion.BulkComment(author_name="Di", body="Held one"),
            discussion.BulkComment(
                author_name="Ed", body="Buy pills", author_url="https://spam.example"
            ),
            discussion.BulkComment(author_name="Fi", body="Rude"),
            discussion.BulkComment(author_name="Gus", body="Gone"),
            discussion.BulkComment(author_name="Hal", body="Under a deleted one", parent=6),
        ],
    )
    by_name = {c.author_name: c for c in thread.comments.all()}
    for name, status in (("Di", "pending"), ("Ed", "spam"), ("Fi", "rejected"), ("Gus", "deleted")):
        discussion.comment_status_set(comment=by_name[name], status=status, notify=False)
    Linkback.objects.create(
        article=article,
        kind=Linkback.Kind.PINGBACK,
        source_url="https://blog.example.net/harbour",
        source_name="Harbour blog",
        excerpt="They wrote about it",
        import_key="test:1",
    )
    return article, draft, thread, photo, editor


def export() -> bytes:
    out = io.StringIO()
    call_command("export_wxr", stdout=out)
    return out.getvalue().encode()


def items_by_type(root):
    channel = root.find("channel")
    return {
        kind: [
            i for i in channel.findall("item") if i.findtext("wp:post_type", namespaces=NS) == kind
        ]
        for kind in ("post", "attachment")
    }


def test_the_channel_says_wxr_1_2_and_the_site():
    build_site()
    root = ElementTree.fromstring(export())

    channel = root.find("channel")
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert channel.findtext("wp:wxr_version", namespaces=NS) == "1.2"
    assert channel.findtext("wp:base_site_url", namespaces=NS) == "https://news.example.org"
    assert channel.findtext("wp:base_blog_url", namespaces=NS) == "https://news.example.org"


def test_authors_sections_and_tags_come_as_wordpress_terms():
    build_site()
    channel = ElementTree.fromstring(export()).find("channel")

    [author] = channel.findall("wp:author", NS)
    assert {child.tag.split("}")[1]: child.text or "" for child in author} == {
        "author_id": str(author.findtext("wp:author_id", namespaces=NS)),
        "author_login": "mgreene",
        "author_email": "maya@news.example.org",
        "author_display_name": "Maya Greene",
        "author_first_name": "",
        "author_last_name": "",
    }
    [category] = channel.findall("wp:category", NS)
    assert category.findtext("wp:category_nicename", namespaces=NS) == "world"
    assert category.findtext("wp:cat_name", namespaces=NS) == "World"
    tags = {
        t.findtext("wp:tag_slug", namespaces=NS): t.findtext("wp:tag_name", namespaces=NS)
        for t in channel.findall("wp:tag", NS)
    }
    assert tags == {"iran": "Iran", "ships": "Ships & Boats"}
    term_ids = [
        t.findtext("wp:term_id", namespaces=NS)
        for t in channel.findall("wp:category", NS) + channel.findall("wp:tag", NS)
    ]
    assert len(set(term_ids)) == 3


def test_a_published_article_carries_every_field():
    article, draft, _thread, photo, _editor = build_site()
    items = items_by_type(ElementTree.fromstring(export()))

    posts = {p.findtext("wp:post_name", namespaces=NS): p for p in items["post"]}
    assert set(posts) == {"harbour-reopens", "dock"}
    post = posts["harbour-reopens"]
    assert post.findtext("title") == "Harbour <reopens> & boats return"
    assert post.findtext("wp:post_id", namespaces=NS) == str(article.pk)
    assert post.findtext("wp:status", namespaces=NS) == "publish"
    assert post.findtext("wp:post_date_gmt", namespaces=NS) == "2024-03-05 14:30:00"
    assert post.findtext("wp:post_date", namespaces=NS) == "2024-03-05 14:30:00"  # TIME_ZONE=UTC
    assert post.findtext("content:encoded", namespaces=NS) == article.body_html
    assert "<strong>Monday</strong>" in article.body_html
    assert post.findtext("excerpt:encoded", namespaces=NS) == "A dek that ends ]]> like CDATA"
    assert [c.text for c in post.findall("dc:creator", NS)] == ["mgreene"]
    assert post.findtext("link") == "https://news.example.org" + article.get_absolute_url()
    categories = [(c.get("domain"), c.get("nicename"), c.text) for c in post.findall("category")]
    assert categories == [
        ("category", "world", "World"),
        ("post_tag", "iran", "Iran"),
        ("post_tag", "ships", "Ships & Boats"),
    ]
    meta = {
        m.findtext("wp:meta_key", namespaces=NS): m.findtext("wp:meta_value", namespaces=NS)
        for m in post.findall("wp:postmeta", NS)
    }
    [attachment] = items["attachment"]
    assert meta["_thumbnail_id"] == attachment.findtext("wp:post_id", namespaces=NS)
    assert '"role": "Agency writer"' in meta["_broadsheet_bylines"]

    unpublished = posts["dock"]
    assert unpublished.findtext("wp:status", namespaces=NS) == "draft"
    assert unpublished.findtext("wp:post_date_gmt", namespaces=NS) == "0000-00-00 00:00:00"
    assert unpublished.findall("wp:comment", NS) == []


def test_the_lead_image_is_an_attachment_with_caption_alt_and_credit():
    article, _draft, _thread, photo, _editor = build_site()
    [attachment] = items_by_type(ElementTree.fromstring(export()))["attachment"]

    url = attachment.findtext("wp:attachment_url", namespaces=NS)
    assert url == "https://news.example.org" + photo.file.url and url.endswith(".jpg")
    assert attachment.findtext("excerpt:encoded", namespaces=NS) == "Boats in the harbour at dawn."
    assert attachment.findtext("wp:post_parent", namespaces=NS) == str(article.pk)
    assert attachment.findtext("wp:status", namespaces=NS) == "inherit"
    meta = {
        m.findtext("wp:meta_key", namespaces=NS): m.findtext("wp:meta_value", namespaces=NS)
        for m in attachment.findall("wp:postmeta", NS)
    }
    assert meta["_wp_attachment_image_alt"] == "Fishing boats moored"
    assert meta["_broadsheet_credit"] == "Jo Lens / Harbour Agency"
    post_ids = [
        i.findtext("wp:post_id", namespaces=NS)
        for i in ElementTree.fromstring(export()).iter("item")
    ]
    assert len(set(post_ids)) == 3


def test_comments_keep_threading_status_authors_and_order():
    _article, _draft, thread, _photo, _editor = build_site()
    [post] = [
        p
        for p in items_by_type(ElementTree.fromstring(export()))["post"]
        if p.findtext("wp:post_name", namespaces=NS) == "harbour-reopens"
    ]

    rows = [
        {
            "id": c.findtext("wp:comment_id", namespaces=NS),
            "author": c.findtext("wp:comment_author", namespaces=NS),
            "approved": c.findtext("wp:comment_approved", namespaces=NS),
            "type": c.findtext("wp:comment_type", namespaces=NS),
            "parent": c.findtext("wp:comment_parent", namespaces=NS),
        }
        for c in post.findall("wp:comment", NS)
    ]
    ids = {c.author_name: str(c.pk) for c in thread.comments.all()}
    assert rows[:-1] == [
        {"id": ids["Ada"], "author": "Ada", "approved": "1", "type": "comment", "parent": "0"},
        {"id": ids["Bo"], "author": "Bo", "approved": "1", "type": "comment", "parent": ids["Ada"]},
        {"id": ids["Cy"], "author": "Cy", "approved": "1", "type": "comment", "parent": ids["Bo"]},
        {"id": ids["Di"], "author": "Di", "approved": "0", "type": "comment", "parent": "0"},
        {"id": ids["Ed"], "author": "Ed", "approved": "spam", "type": "comment", "parent": "0"},
        {"id": ids["Fi"], "author": "Fi", "approved": "trash", "type": "comment", "parent": "0"},
        {"id": ids["Gus"], "author": "Gus", "approved": "trash", "type": "comment", "parent": "0"},
        {
            "id": ids["Hal"],
            "author": "Hal",
            "approved": "1",
            "type": "comment",
            "parent": ids["Gus"],
        },
    ]
    pingback = rows[-1]
    assert pingback["type"] == "pingback" and pingback["approved"] == "1"
    assert pingback["id"] not in ids.values()

    first = post.findall("wp:comment", NS)[0]
    assert first.findtext("wp:comment_author_email", namespaces=NS) == "ada@example.org"
    assert first.findtext("wp:comment_content", namespaces=NS) == "<p>First!</p>\n"
    assert first.findtext("wp:comment_author_IP", namespaces=NS) == ""
    deleted = post.findall("wp:comment", NS)[6]
    meta = deleted.find("wp:commentmeta", NS)
    assert meta.findtext("wp:meta_value", namespaces=NS) == "deleted"


def test_the_file_is_laid_out_line_by_line_as_wordpress_writes_it():
    build_site()
    lines = export().decode().splitlines()

    assert lines[0] == '<?xml version="1.0" encoding="UTF-8" ?>'
    # WordPress's fallback (regex) parser needs <item> and </item> on lines of their own.
    assert sum(line.strip() == "<item>" for line in lines) == 3
    assert sum(line.strip() == "</item>" for line in lines) == 3
    assert any(line.strip() == "<wp:wxr_version>1.2</wp:wxr_version>" for line in lines)
    # ... and a <wp:author> whole on one line.
    [author] = [line.strip() for line in lines if "<wp:author>" in line]
    assert author.startswith("<wp:author><wp:author_id>") and author.endswith("</wp:author>")
    assert "<wp:author_login><![CDATA[mgreene]]></wp:author_login>" in author
    # ... and categories as <category domain="..." nicename="..."> with double quotes.
    assert '<category domain="category" nicename="world"><![CDATA[World]]></category>' in [
        line.strip() for line in lines
    ]


def test_text_xml_cannot_carry_is_dropped_and_the_rest_kept():
    article, *_ = build_site()
    newsroom.article_update(article=article, dek="Bell\x07 rang")
    root = ElementTree.fromstring(export())

    [post] = [
        p
        for p in root.iter("item")
        if p.findtext("wp:post_name", namespaces=NS) == "harbour-reopens"
    ]
    assert post.findtext("excerpt:encoded", namespaces=NS) == "Bell rang"


def test_output_file_is_written_whole_and_the_summary_counts_it(tmp_path):
    build_site()
    other = Thread.objects.create(
        key="https://blog.example.net/kites/", url="https://blog.example.net/kites/"
    )
    discussion.comment_bulk_import(
        thread=other, items=[discussion.BulkComment(author_name="K", body="Kites!")]
    )
    target = tmp_path / "site.xml"
    out = io.StringIO()
    call_command("export_wxr", "--output", str(target), stdout=out, stderr=io.StringIO())

    assert ElementTree.parse(str(target)).getroot().tag == "rss"
    assert list(tmp_path.glob(".site.xml.*")) == []
    assert out.getvalue().strip() == (
        f"{target}: 2 articles, 1 images, 1 authors, 1 sections, 2 tags, 8 comments, "
        "1 pingbacks/trackbacks; not exported: 1 comments in 1 threads of pages that are not "
        "articles (WXR has no place for them; dumpsite keeps them)"
    )


def test_an_output_in_a_missing_folder_is_refused(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_wxr", "--output", str(tmp_path / "nope" / "site.xml"))


def test_a_scheduled_article_is_a_future_post_with_its_time():
    build_site()
    later = newsroom.article_create(headline="Tomorrow's tide", body="High.", slug="tide")
    moment = datetime(2031, 1, 2, 6, 0, tzinfo=UTC)
    newsroom.article_schedule(article=later, publish_at=moment)
    root = ElementTree.fromstring(export())

    [post] = [p for p in root.iter("item") if p.findtext("wp:post_name", namespaces=NS) == "tide"]
    assert post.findtext("wp:status", namespaces=NS) == "future"
    assert post.findtext("wp:post_date_gmt", namespaces=NS) == "2031-01-02 06:00:00"
