"""Structured data on article pages: schema.org NewsArticle and breadcrumbs, field by field."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.templatetags.static import static

from broadsheet.discussion.models import Comment
from broadsheet.discussion.services import comment_import, comment_status_set
from broadsheet.newsroom import services
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article, ArticleTopic, Rendition, Topic
from broadsheet.newsroom.tests.factories import (
    ArticleFactory,
    CreditFactory,
    ImageFactory,
    SectionFactory,
    SourceFactory,
    TagFactory,
    UserFactory,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
PUBLISHED = datetime(2026, 3, 7, 9, 30, tzinfo=UTC)
MODIFIED = datetime(2026, 3, 7, 11, 15, 42, tzinfo=UTC)
URL = f"{SITE}/2026/03/07/harbour-lights/"
PUBLISHER = {
    "@type": "Organization",
    "name": "The Harbour Times",
    "url": f"{SITE}/",
    "logo": {
        "@type": "ImageObject",
        "url": f"{SITE}/static/feeds/logo.png",
        "width": 512,
        "height": 512,
    },
}


def jsonld_blocks(html: str) -> list[dict]:
    """Every JSON-LD block of a page, parsed."""
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    return [json.loads(text) for text in found]


def block_of(html: str, kind: str) -> dict:
    (block,) = [b for b in jsonld_blocks(html) if b["@type"] == kind]
    return block


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Harbour Times"


def modified(article: Article, when: datetime = MODIFIED) -> Article:
    Article.objects.filter(pk=article.pk).update(updated_at=when)
    return article


@pytest.fixture
def story():
    """A published story with a staff and a wire byline, tags, topics and a photo's crops."""
    image = ImageFactory(alt_text="Boats in the harbour at dusk.")
    for crop, size in (("16x9", (1200, 675)), ("4x3", (1200, 900)), ("1x1", (1200, 1200))):
        Rendition.objects.create(
            image=image,
            crop=crop,
            format=Rendition.Format.JPEG,
            width=size[0],
            height=size[1],
            file=ContentFile(jpeg_bytes(), name=f"crop-{crop}.jpg"),
        )
    article = ArticleFactory(
        headline="Harbour lights return after the storm",
        slug="harbour-lights",
        dek="The lamps on the breakwater shine again.",
        published_at=PUBLISHED,
        section=SectionFactory(name="World", slug="world"),
        lead_image=image,
    )
    article.tags.add(TagFactory(name="Storms"), TagFactory(name="Harbours"))
    writer = UserFactory(username="mara", display_name="Mara Lind", email="mara@example.org")
    services.article_bylines_set(
        article=article,
        bylines=[services.BylineSpec(user=writer), services.BylineSpec(name="Wire Reporter")],
    )
    port = Topic.objects.create(name="Port Authority", slug="port-authority", kind="organisation")
    storms = Topic.objects.create(name="storms", slug="storms-topic")
    dropped = Topic.objects.create(name="Lighthouses", slug="lighthouses")
    ArticleTopic.objects.create(article=article, topic=port, status="confirmed", mentions=3)
    ArticleTopic.objects.create(article=article, topic=storms, status="confirmed", mentions=2)
    ArticleTopic.objects.create(article=article, topic=dropped, status="dropped", mentions=9)
    ArticleTopic.objects.create(
        article=article,
        topic=Topic.objects.create(name="Fishing", slug="fishing"),
        status="suggested",
        mentions=5,
    )
    return modified(article)


def comment(article, n: int, *, name: str, body: str, minutes: int, parent=None) -> Comment:
    return comment_import(
        thread=article_thread(article),
        parent=parent,
        author_name=name,
        author_email=f"reader{n}@example.org",
        body=body,
        created_at=PUBLISHED + timedelta(minutes=minutes),
        import_key=f"test:{n}",
    )


def test_news_article_carries_every_field_exactly(client, story):
    first = comment(story, 1, name="Ada Reader", body="Good to see them lit.", minutes=30)
    reply = comment(
        story, 2, name="", body="About *time*.\n\nThey were dark a week.", minutes=45, parent=first
    )
    held = comment(story, 3, name="Held Back", body="Not yet approved.", minutes=50)
    comment_status_set(comment=held, status=Comment.Status.PENDING)
    crops = {r.crop: r.file.url for r in Rendition.objects.filter(image=story.lead_image)}

    html = client.get(story.get_absolute_url()).content.decode()

    assert block_of(html, "NewsArticle") == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": URL},
        "url": URL,
        "headline": "Harbour lights return after the storm",
        "description": "The lamps on the breakwater shine again.",
        "image": [SITE + crops["16x9"], SITE + crops["4x3"], SITE + crops["1x1"]],
        "datePublished": "2026-03-07T09:30:00+00:00",
        "dateModified": "2026-03-07T11:15:42+00:00",
        "author": [
            {"@type": "Person", "name": "Mara Lind", "url": f"{SITE}/author/mara/"},
            {"@type": "Person", "name": "Wire Reporter"},
        ],
        "publisher": PUBLISHER,
        "articleSection": "World",
        # Tags by name, then confirmed topics most mentioned first; "storms" is a tag already.
        "keywords": ["Harbours", "Storms", "Port Authority"],
        "isAccessibleForFree": True,
        "commentCount": 2,
        "comment": [
            {
                "@type": "Comment",
                "url": f"{URL}#comment-{first.pk}",
                "author": {"@type": "Person", "name": "Ada Reader"},
                "dateCreated": "2026-03-07T10:00:00+00:00",
                "text": "Good to see them lit.",
            },
            {
                "@type": "Comment",
                "url": f"{URL}#comment-{reply.pk}",
                "author": {"@type": "Person", "name": "Anonymous"},
                "dateCreated": "2026-03-07T10:15:00+00:00",
                "text": "About time. They were dark a week.",
            },
        ],
    }
    assert "example.org" not in html.replace("news.example.org", "")
    assert "Not yet approved." not in html


def test_breadcrumbs_lead_home_to_section_to_article(client, story):
    html = client.get(story.get_absolute_url()).content.decode()

    assert block_of(html, "BreadcrumbList") == {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "The Harbour Times", "item": f"{SITE}/"},
            {"@type": "ListItem", "position": 2, "name": "World", "item": f"{SITE}/section/world/"},
            {
                "@type": "ListItem",
                "position": 3,
                "name": "Harbour lights return after the storm",
                "item": URL,
            },
        ],
    }


def test_dates_carry_the_sites_time_zone(client, settings, story):
    settings.TIME_ZONE = "America/New_York"

    data = block_of(client.get(story.get_absolute_url()).content.decode(), "NewsArticle")

    assert data["datePublished"] == "2026-03-07T04:30:00-05:00"
    assert data["dateModified"] == "2026-03-07T06:15:42-05:00"


def test_a_story_edited_before_it_went_live_was_modified_when_it_went_live(client, story):
    modified(story, PUBLISHED - timedelta(days=2))

    data = block_of(client.get(story.get_absolute_url()).content.decode(), "NewsArticle")

    assert data["dateModified"] == data["datePublished"] == "2026-03-07T09:30:00+00:00"


def test_the_original_photo_stands_in_until_its_crops_are_made(client, story):
    Rendition.objects.filter(image=story.lead_image).delete()

    data = block_of(client.get(story.get_absolute_url()).content.decode(), "NewsArticle")

    assert data["image"] == [SITE + story.lead_image.file.url]


def test_a_story_without_a_photo_has_no_image(client):
    article = ArticleFactory(published_at=PUBLISHED, lead_image=None)

    data = block_of(client.get(article.get_absolute_url()).content.decode(), "NewsArticle")

    assert "image" not in data


def test_a_wire_story_without_bylines_is_by_its_credited_sources(client):
    article = ArticleFactory(published_at=PUBLISHED, lead_image=None)
    CreditFactory(article=article, source=SourceFactory(credit_name="AP"), position=0)
    CreditFactory(
        article=article,
        source=SourceFactory(credit_name="REUTERS", url="https://www.reuters.com/"),
        position=1,
    )

    data = block_of(client.get(article.get_absolute_url()).content.decode(), "NewsArticle")

    assert data["author"] == [
        {"@type": "Organization", "name": "AP"},
        {"@type": "Organization", "name": "REUTERS", "url": "https://www.reuters.com/"},
    ]


def test_a_story_with_neither_byline_nor_credit_is_the_papers_own(client):
    article = ArticleFactory(published_at=PUBLISHED, lead_image=None, section=None)

    data = block_of(client.get(article.get_absolute_url()).content.decode(), "NewsArticle")

    assert data["author"] == [
        {"@type": "Organization", "name": "The Harbour Times", "url": f"{SITE}/"}
    ]
    assert "articleSection" not in data
    assert "keywords" not in data
    assert data["commentCount"] == 0
    assert "comment" not in data


def test_at_most_the_fifty_newest_approved_comments_are_listed(client):
    article = ArticleFactory(published_at=PUBLISHED)
    for n in range(53):
        comment(article, n, name=f"Reader {n}", body=f"Comment number {n}.", minutes=n)

    data = block_of(client.get(article.get_absolute_url()).content.decode(), "NewsArticle")

    assert data["commentCount"] == 53
    assert [c["text"] for c in data["comment"]] == [f"Comment number {n}." for n in range(3, 53)]


def test_markup_in_headline_and_comments_cannot_leave_the_script(client):
    article = ArticleFactory(
        headline="</script><script>alert(1)</script> & <!-- odd",
        published_at=PUBLISHED,
        lead_image=None,
    )
    comment(article, 1, name="</script><b>x", body="Ends here </script><!-- ]]> & more", minutes=1)

    html = client.get(article.get_absolute_url()).content.decode()
    raw = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)

    assert all("<" not in text and ">" not in text and "&" not in text for text in raw)
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in raw[0]
    data = block_of(html, "NewsArticle")
    assert data["headline"] == "</script><script>alert(1)</script> & <!-- odd"
    assert data["comment"][0]["author"]["name"] == "</script><b>x"
    # The text as the reader wrote it and sees it on the page, escaped only inside the script.
    assert data["comment"][0]["text"] == "Ends here </script><!-- ]]> & more"
    assert "<script>alert(1)" not in html


def test_the_logo_the_publisher_names_is_shipped(client):
    from django.contrib.staticfiles import finders
    from PIL import Image as PILImage

    path = finders.find("feeds/logo.png")

    assert static("feeds/logo.png") == "/static/feeds/logo.png"
    with PILImage.open(path) as logo:
        assert (logo.format, logo.size) == ("PNG", (512, 512))
