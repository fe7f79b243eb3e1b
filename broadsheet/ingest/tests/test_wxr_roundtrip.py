"""export_wxr then import_wxr into an empty site: the same articles and the same comment trees."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from broadsheet.discussion import services as discussion
from broadsheet.discussion.models import Comment, Thread
from broadsheet.ingest.archive.spec import row_types
from broadsheet.ingest.models import Linkback
from broadsheet.ingest.wordpress.importer import wxr_import
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.embed import article_thread, article_thread_key
from broadsheet.newsroom.models import Article, Image
from broadsheet.newsroom.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2024, 3, 5, 14, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://news.example.org"


def build_site() -> None:
    world = newsroom.section_create(name="World", slug="world")
    science = newsroom.section_create(name="Science", slug="science")
    iran = newsroom.tag_create(name="Iran", slug="iran")
    ships = newsroom.tag_create(name="Ships", slug="ships")
    editor = UserFactory.create(username="mgreene", display_name="Maya Greene")
    photo = newsroom.image_create(
        caption="Boats at dawn.", alt_text="Fishing boats", credit="Jo Lens / Harbour Agency"
    )
    first = newsroom.article_create(
        headline="Harbour reopens & boats return",
        body="The harbour reopened on **Monday**.\n\n> Boats returned by noon, said [the port](https://port.example).",
        dek="What happened at the harbour.",
        section=world,
        tags=[iran, ships],
        bylines=[newsroom.BylineSpec(user=editor)],
        lead_image=photo,
        slug="harbour-reopens",
    )
    newsroom.article_publish(article=first, now=WHEN)
    second = newsroom.article_create(
        headline="Café science: why bread rises",
        body="Yeast makes gas.\n\n- flour\n- water",
        section=science,
        bylines=[
            newsroom.BylineSpec(name="Sam Wire", role="Science correspondent"),
            newsroom.BylineSpec(name="Ana Field"),
        ],
        sources=[
            newsroom.source_get_or_create(credit_name="AP"),
            newsroom.source_get_or_create(credit_name="REUTERS"),
        ],
        slug="cafe-science",
    )
    newsroom.article_publish(article=second, now=WHEN + timedelta(days=1))
    newsroom.article_create(
        headline="Draft on the dock", body="Not yet.", slug="dock", section=world
    )

    thread = article_thread(Article.objects.get(pk=first.pk))
    t = [WHEN + timedelta(minutes=n) for n in range(10)]
    top = discussion.comment_import(
        thread=thread,
        parent=None,
        author_name="Ada",
        author_email="ada@example.org",
        author_url="https://ada.example",
        body="First, and *glad*.",
        import_key="s:1",
        created_at=t[1],
    )
    two = discussion.comment_import(
        thread=thread,
        parent=top,
        author_name="Bo",
        body="Reply to Ada.",
        import_key="s:2",
        created_at=t[2],
    )
    three = discussion.comment_import(
        thread=thread,
        parent=two,
        author_name="Cy",
        body="Deeper.",
        import_key="s:3",
        created_at=t[3],
    )
    discussion.comment_import(
        thread=thread,
        parent=three,
        author_name="Di",
        body="Four deep.",
        import_key="s:4",
        created_at=t[4],
        status="pending",
    )
    discussion.comment_import(
        thread=thread,
        parent=None,
        author_name="Ed",
        body="Buy pills.",
        import_key="s:5",
        created_at=t[5],
        status="spam",
    )
    discussion.comment_import(
        thread=thread,
        parent=None,
        author_name="Fi",
        body="Rude words.",
        import_key="s:6",
        created_at=t[6],
        status="rejected",
    )
    gone = discussion.comment_import(
        thread=thread,
        parent=None,
        author_name="Gus",
        body="I take it back.",
        import_key="s:7",
        created_at=t[7],
        status="deleted",
    )
    discussion.comment_import(
        thread=thread,
        parent=gone,
        author_name="Hal",
        body="Under a tombstone.",
        import_key="s:8",
        created_at=t[8],
    )
    Linkback.objects.create(
        article=first,
        kind="pingback",
        source_url="https://blog.example.net/harbour",
        source_name="Harbour blog",
        excerpt="They wrote about it",
        import_key="x:1",
        created_at=t[9],
    )


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def articles() -> dict[str, dict]:
    found = {}
    for article in Article.objects.select_related("section", "lead_image").order_by("slug"):
        image = article.lead_image
        found[article.slug] = {
            "headline": article.headline,
            "dek": article.dek,
            "section": article.section.name if article.section else None,
            "tags": sorted(article.tags.values_list("name", flat=True)),
            "bylines": [(b.display_name, b.role) for b in article.bylines.select_related("user")],
            "credit_line": article.credit_line,
            "published_at": article.published_at if article.status != "draft" else None,
            "status": article.status,
            "text": text_of(article.body_html),
            "html": article.body_html,
            "image": (image.caption, image.alt_text, image.credit) if image else None,
        }
    return found


def comment_trees() -> dict[str, list[tuple]]:
    trees = {}
    for article in Article.objects.order_by("slug"):
        thread = Thread.objects.filter(key=article_thread_key(article)).first()
        rows = Comment.objects.filter(thread=thread).order_by("path") if thread else []
        by_path = {c.path: c.author_name for c in rows}
        trees[article.slug] = [
            (
                c.author_name,
                c.status,
                by_path.get(c.path[:-10]) if c.depth else None,  # the parent, by name
                c.created_at,
                c.body_html,
            )
            for c in rows
        ]
    return trees


def linkbacks() -> list[tuple]:
    return list(
        Linkback.objects.order_by("created_at").values_list(
            "article__slug", "kind", "status", "source_url", "source_name", "created_at"
        )
    )


def test_export_then_import_into_an_empty_site_gives_the_same_site(tmp_path):
    build_site()
    expected_articles = articles()
    expected_trees = comment_trees()
    expected_linkbacks = linkbacks()
    path = tmp_path / "site.xml"
    call_command("export_wxr", "--output", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    for kind in reversed(row_types()):
        kind.model._default_manager.all().delete()
    assert Article.objects.count() == Comment.objects.count() == Image.objects.count() == 0

    summary = wxr_import(path=path)

    assert summary.errors == ()
    assert articles() == expected_articles
    assert comment_trees() == expected_trees
    assert linkbacks() == expected_linkbacks
    assert len(expected_trees["harbour-reopens"]) == 8
    assert expected_articles["cafe-science"]["credit_line"] == "AP/REUTERS"
    assert "deleted" in {status for _, status, *_ in expected_trees["harbour-reopens"]}
