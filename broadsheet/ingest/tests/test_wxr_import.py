"""import_wxr on a WordPress 6 export: articles, images, the comment trees, and re-imports."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from broadsheet.discussion.models import Comment
from broadsheet.ingest.models import LegacyURL, Linkback
from broadsheet.ingest.wordpress.importer import wxr_import
from broadsheet.ingest.wordpress.media import body_media_rewrite
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article, Image, Section, Tag

pytestmark = pytest.mark.django_db

WXR = Path(__file__).parent / "data" / "wordpress6.xml"
SITE = "wxr:gazette.example.org"


def article(wp_id: int) -> Article:
    return Article.objects.get(import_key=f"{SITE}:post:{wp_id}")


def tree(item: Article) -> list[tuple[int, str, str, str]]:
    """(depth, author, status, first words) in thread order."""
    return [
        (c.depth, c.author_name, c.status, " ".join(c.body.split()[:3]))
        for c in Comment.objects.filter(thread=article_thread(item)).order_by("path")
    ]


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Article, Image, Comment, Linkback, LegacyURL, Section, Tag)
    }


def test_posts_become_articles_with_their_fields():
    summary = wxr_import(path=WXR)

    assert (summary.posts.created, summary.attachments.created) == (4, 1)
    assert summary.posts.skipped == {"in the trash": 1, "post type 'page' (not imported)": 1}
    cafe = article(12)
    assert cafe.headline == "Café reopens on Main Street"
    assert cafe.slug == "cafe-reopens"
    assert cafe.get_absolute_url() == "/2024/05/03/cafe-reopens/"
    assert cafe.status == Article.Status.PUBLISHED
    assert cafe.published_at == datetime(2024, 5, 3, 9, 30, tzinfo=UTC)
    assert cafe.dek == "Six months after the flood, the Corner Café is serving again."
    assert cafe.section.name == "Local"
    assert sorted(cafe.tags.values_list("name", flat=True)) == ["Flood", "Food"]
    assert [b.name for b in cafe.bylines.all()] == ["Maria Hale"]
    bridge = article(14)
    assert bridge.section.name == "Politics"
    assert [b.name for b in bridge.bylines.all()] == ["James Okafor"]
    draft = article(15)
    assert draft.status == Article.Status.DRAFT and draft.published_at is None


def test_content_follows_wordpress_paragraph_rules_and_captions():
    wxr_import(path=WXR)

    html = article(12).body_html
    assert "<p>The Corner Café on Main Street opened its doors again on Friday" in html
    assert (
        "waiting at 7 a.m.<br>\n“We ran out" in html or 'waiting at 7 a.m.<br>\n"We ran out' in html
    )
    assert (
        "<figure>"
        '<img src="https://gazette.example.org/wp-content/uploads/2024/05/cafe-counter.jpg" '
        'alt="The counter of the Corner Café">'
        "<figcaption>Lena Brandt behind the new counter on Friday.</figcaption></figure>" in html
    )
    assert "[caption" not in html and "[pullquote]" not in html
    assert "We never thought of closing for good." in html
    assert "<strong>£48,000</strong>" in html
    assert "<li>Closed on Mondays</li>" in html
    block = article(17).body_html
    assert block == (
        "<p>The summer fair returns to the riverside park in July.</p>\n"
        "<p>Stalls can be booked from June.</p>\n"
    )
    assert "<blockquote>" in article(14).body_html


def test_attachment_becomes_the_lead_image_with_caption_alt_and_credit():
    wxr_import(path=WXR)

    image = article(12).lead_image
    assert image is not None
    assert image.caption == "Lena Brandt behind the new counter on Friday."
    assert image.alt_text == "The counter of the Corner Café"
    assert image.credit == "Photo: J. Lund"
    assert image.original_url == (
        "https://gazette.example.org/wp-content/uploads/2024/05/cafe-counter.jpg"
    )
    assert image.import_key == f"{SITE}:attachment:20"
    assert not image.file


def test_every_comment_under_its_parent_in_order_with_its_status():
    summary = wxr_import(path=WXR)

    assert tree(article(12)) == [
        (0, "Ann Reader", "approved", "So glad to"),
        (1, "Ben Okoro", "approved", "Agreed, and the"),
        (2, "Ann Reader", "approved", "Did they keep"),
        (3, "Chloé Martin", "approved", "They did, sanded"),
        (0, "Finn Doyle", "approved", "Was anyone there"),
        (1, "Dev Patel", "approved", "Yes, the queue"),  # its parent came after it in the file
        (0, "Eve Walker", "pending", "Are they still"),
        (0, "Cheap Pills", "spam", "Buy cheap pills"),
        (0, "Gus Reid", "rejected", "Posted twice by"),
    ]
    assert tree(article(14)) == [(0, "Hana Sato", "approved", "About time!")]
    assert summary.comments.created == 10
    thread = article_thread(article(12))
    assert thread.comment_count == 6
    first = Comment.objects.get(import_key=f"{SITE}:comment:101")
    assert first.created_at == datetime(2024, 5, 3, 10, 0, tzinfo=UTC)
    assert first.author_email == "ann@example.net"
    assert first.author_url == "https://ann.example.net"
    assert (
        first.body_html
        == "<p>So glad to see it back.<br>\nThe coffee was always the best in town.</p>\n"
    )
    assert first.descendant_count == 3


def test_the_pingback_is_a_linkback_shown_apart_not_a_comment(client):
    wxr_import(path=WXR)

    linkback = Linkback.objects.get()
    assert (linkback.kind, linkback.status) == ("pingback", "approved")
    assert linkback.source_url == "https://foodblog.example.com/2024/05/best-cafes/"
    assert linkback.source_name == "Town Food Blog"
    assert linkback.excerpt == "[…] the Corner Café reopened on Friday […]"
    assert linkback.article == article(12)
    assert not Comment.objects.filter(author_name="Town Food Blog").exists()
    html = client.get(article(12).get_absolute_url()).content.decode()
    assert "Pingbacks and trackbacks" in html
    assert (
        'href="https://foodblog.example.com/2024/05/best-cafes/" rel="nofollow ugc noopener"'
        in html
    )
    assert "ann@example.net" not in html


def test_pingbacks_skip_keeps_none():
    summary = wxr_import(path=WXR, pingbacks="skip")

    assert not Linkback.objects.exists()
    assert summary.linkbacks.skipped == {"pingback (--pingbacks skip)": 1}


def test_reimport_adds_nothing():
    wxr_import(path=WXR)
    before = counts()
    trees = tree(article(12))

    again = wxr_import(path=WXR)

    assert counts() == before
    assert tree(article(12)) == trees
    assert (again.posts.created, again.posts.updated, again.posts.unchanged) == (0, 0, 4)
    assert (again.comments.created, again.comments.unchanged) == (0, 10)
    assert (again.attachments.unchanged, again.linkbacks.unchanged) == (1, 1)


def test_reimport_of_an_edited_export_updates_the_article(tmp_path):
    wxr_import(path=WXR)
    edited = tmp_path / "edited.xml"
    edited.write_text(
        WXR.read_text().replace("Council approves new bridge", "Council approves footbridge")
    )

    summary = wxr_import(path=edited)

    assert (summary.posts.updated, summary.posts.unchanged) == (1, 3)
    assert article(14).headline == "Council approves footbridge"
    assert Article.objects.count() == 4


def test_dry_run_writes_nothing_and_reports_what_would_change():
    summary = wxr_import(path=WXR, dry_run=True)

    assert set(counts().values()) == {0}
    assert summary.dry_run
    assert (summary.posts.created, summary.comments.created) == (4, 10)
    assert summary.lines()[0].startswith("Dry run: nothing was written.")


def test_media_dir_brings_the_image_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    uploads = tmp_path / "uploads" / "2024" / "05"
    uploads.mkdir(parents=True)
    from PIL import Image as Picture

    Picture.new("RGB", (64, 48), "teal").save(uploads / "cafe-counter.jpg")

    wxr_import(path=WXR, media_dir=tmp_path / "uploads")

    story = article(12)
    image = story.lead_image
    assert image.file and (image.width, image.height) == (64, 48)
    assert image.caption == "Lena Brandt behind the new counter on Friday."
    # The photo in the text now shows this site's copy, not the old site's address.
    assert f'<figure><img src="{image.file.url}" alt="The counter of the Corner Café">' in (
        story.body_html
    )
    assert "gazette.example.org/wp-content" not in story.body_html


def test_every_size_wordpress_served_of_an_upload_is_the_same_photo():
    local = {"2024/05/boats.jpg": "/media/images/2024/05/boats.jpg"}
    body = (
        "![Boats](https://old.example/wp-content/uploads/2024/05/boats-1024x683.jpg)\n*Dawn.*\n\n"
        '![Other](https://old.example/wp-content/uploads/2024/05/nets.jpg "Nets")'
    )

    assert body_media_rewrite(body, local) == (
        "![Boats](/media/images/2024/05/boats.jpg)\n*Dawn.*\n\n"
        '![Other](https://old.example/wp-content/uploads/2024/05/nets.jpg "Nets")'
    )


def test_media_dir_without_the_file_keeps_the_caption_and_warns(tmp_path):
    summary = wxr_import(path=WXR, media_dir=tmp_path)

    assert not article(12).lead_image.file
    assert any("cafe-counter.jpg is not in the media folder" in w for w in summary.warnings)


def test_command_prints_the_summary():
    out = StringIO()
    call_command("import_wxr", str(WXR), stdout=out, stderr=StringIO())

    text = out.getvalue()
    assert "posts: 4 created, 0 updated, 0 unchanged, 2 skipped" in text
    assert "comments: 10 created" in text
    assert "linkbacks: 1 created" in text
    assert "1 [caption] made figures; removed, text kept: [pullquote] x1" in text


@pytest.fixture
def rude_export(tmp_path):
    path = tmp_path / "rude.xml"
    path.write_text(WXR.read_text().replace("About time!", "About time, you idiots!"))
    return path


def test_a_comment_the_referee_doubts_keeps_its_status_and_waits_for_review(rude_export):
    summary = wxr_import(path=rude_export)

    rude = Comment.objects.get(author_name="Hana Sato")
    assert rude.status == "approved" and rude.review_imported
    assert rude.verdict["decision"] == "hold" and rude.verdict["imported"] is True
    assert summary.review_imported == 1
    assert not Comment.objects.exclude(pk=rude.pk).filter(review_imported=True).exists()


def test_moderate_applies_the_referees_decision_to_wxr_comments(rude_export):
    summary = wxr_import(path=rude_export, moderate=True)

    rude = Comment.objects.get(author_name="Hana Sato")
    assert rude.status == "pending" and not rude.review_imported
    assert summary.held_by_referee == 1
    assert article_thread(article(14)).comment_count == 0


def test_wxr_1_1_as_wordpress_5_wrote_it_imports_the_same(tmp_path):
    older = tmp_path / "wordpress5.xml"
    older.write_text(
        WXR.read_text()
        .replace("http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.1/")
        .replace("<wp:wxr_version>1.2</wp:wxr_version>", "<wp:wxr_version>1.1</wp:wxr_version>")
    )

    summary = wxr_import(path=older)

    assert (summary.posts.created, summary.comments.created) == (4, 10)
    assert [b.name for b in article(14).bylines.all()] == ["James Okafor"]
    assert tree(article(12))[3] == (3, "Chloé Martin", "approved", "They did, sanded")


def test_the_admin_lists_old_addresses_and_linkbacks(admin_client):
    wxr_import(path=WXR)

    assert "/?p=12" in admin_client.get("/admin/ingest/legacyurl/").content.decode()
    assert "Town Food Blog" in admin_client.get("/admin/ingest/linkback/").content.decode()
