"""Link previews and page metadata: canonical, Open Graph, Twitter cards, list pages' JSON-LD."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile

from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article, ArticleTopic, Rendition, Topic
from broadsheet.newsroom.tests.factories import (
    ArticleFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
PUBLISHED = datetime(2026, 3, 7, 9, 30, tzinfo=UTC)
WEBSITE = {"@type": "WebSite", "name": "The Harbour Times", "url": f"{SITE}/"}
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


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Harbour Times"


def head(html: str) -> str:
    return html[: html.index("</head>")]


def meta(html: str) -> list[tuple[str, str, str]]:
    """Every (attribute, key, content) of the head's <meta property|name=...> tags, in order."""
    found = re.findall(r'<meta (property|name)="([^"]+)" content="([^"]*)">', head(html))
    return [tag for tag in found if tag[1] != "viewport"]


def og(html: str) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for _, key, content in meta(html):
        tags.setdefault(key, []).append(content)
    return tags


def jsonld_blocks(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    return [json.loads(text) for text in found]


def canonical(html: str) -> list[str]:
    return re.findall(r'<link rel="canonical" href="([^"]+)">', html)


# Articles


@pytest.fixture
def story():
    image = ImageFactory(alt_text="Boats in the harbour at dusk.")
    article = ArticleFactory(
        headline="Harbour lights return",
        slug="harbour-lights",
        dek="The lamps shine again.",
        published_at=PUBLISHED,
        section=SectionFactory(name="World", slug="world"),
        lead_image=image,
    )
    article.tags.add(TagFactory(name="Storms"), TagFactory(name="Harbours"))
    writer = UserFactory(username="mara", display_name="Mara Lind")
    services.article_bylines_set(article=article, bylines=[services.BylineSpec(user=writer)])
    Article.objects.filter(pk=article.pk).update(updated_at=datetime(2026, 3, 7, 11, 0, tzinfo=UTC))
    return article


def test_article_has_every_open_graph_and_twitter_tag(client, story):
    url = f"{SITE}/2026/03/07/harbour-lights/"
    photo = SITE + story.lead_image.file.url

    html = client.get(story.get_absolute_url()).content.decode()

    assert canonical(html) == [url]
    assert meta(html) == [
        ("name", "description", "The lamps shine again."),
        ("property", "og:type", "article"),
        ("property", "og:site_name", "The Harbour Times"),
        ("property", "og:locale", "en_US"),
        ("property", "og:title", "Harbour lights return"),
        ("property", "og:description", "The lamps shine again."),
        ("property", "og:url", url),
        ("property", "og:image", photo),
        ("property", "og:image:width", "40"),
        ("property", "og:image:height", "30"),
        ("property", "og:image:alt", "Boats in the harbour at dusk."),
        ("property", "article:published_time", "2026-03-07T09:30:00+00:00"),
        ("property", "article:modified_time", "2026-03-07T11:00:00+00:00"),
        ("property", "article:section", "World"),
        ("property", "article:tag", "Harbours"),
        ("property", "article:tag", "Storms"),
        ("property", "article:author", f"{SITE}/author/mara/"),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", "Harbour lights return"),
        ("name", "twitter:description", "The lamps shine again."),
        ("name", "twitter:image", photo),
        ("name", "twitter:image:alt", "Boats in the harbour at dusk."),
    ]


def test_the_preview_image_is_the_wide_crop_once_it_is_made(client, story):
    Rendition.objects.create(
        image=story.lead_image,
        crop="16x9",
        format="jpeg",
        width=1200,
        height=675,
        file=ContentFile(jpeg_bytes(), name="wide.jpg"),
    )
    wide = SITE + Rendition.objects.get().file.url

    tags = og(client.get(story.get_absolute_url()).content.decode())

    assert tags["og:image"] == [wide]
    assert tags["twitter:image"] == [wide]
    assert "og:image:width" not in tags


def test_a_story_without_a_photo_gets_the_small_card(client):
    article = ArticleFactory(lead_image=None, dek="", body="Only words.\n\nNo picture.")

    tags = og(client.get(article.get_absolute_url()).content.decode())

    assert tags["twitter:card"] == ["summary"]
    assert "og:image" not in tags and "twitter:image" not in tags
    assert tags["description"] == ["Only words. No picture."]
    assert tags["og:description"] == ["Only words. No picture."]


def test_preview_tags_are_escaped(client):
    article = ArticleFactory(headline='Quotes " and <tags>', dek="A & B", lead_image=None)

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<meta property="og:title" content="Quotes &quot; and &lt;tags&gt;">' in html
    assert '<meta name="twitter:description" content="A &amp; B">' in html


def test_reading_a_story_asks_no_dns_of_the_share_networks(client, story):
    html = client.get(story.get_absolute_url()).content.decode()

    assert '<meta http-equiv="x-dns-prefetch-control" content="off">' in head(html)


def test_a_staff_preview_still_names_the_public_address_and_is_not_indexed(client, settings):
    from django.contrib.auth.models import Permission

    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, slug="embargoed")
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(editor)

    html = client.get(f"/preview/{draft.pk}/").content.decode()

    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert canonical(html) == [SITE + draft.get_absolute_url()]


# List pages


def listed_articles(n: int, **kwargs) -> list[Article]:
    return [
        ArticleFactory.create(
            published_at=PUBLISHED.replace(hour=9 + i), slug=f"story-{i}", **kwargs
        )
        for i in range(n)
    ]


def item_list(articles) -> dict:
    return {
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "url": SITE + a.get_absolute_url()}
            for n, a in enumerate(articles, start=1)
        ],
    }


def test_front_page_is_a_collection_page_of_its_latest_stories(client):
    articles = listed_articles(3)

    html = client.get("/").content.decode()

    assert canonical(html) == [f"{SITE}/"]
    tags = og(html)
    assert tags["og:type"] == ["website"]
    assert tags["og:title"] == ["The Harbour Times"]
    assert tags["og:url"] == [f"{SITE}/"]
    assert (
        tags["description"] == tags["og:description"] == ["The latest news from The Harbour Times."]
    )
    assert tags["twitter:card"] == ["summary"]
    assert jsonld_blocks(html) == [
        {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "@id": f"{SITE}/",
            "url": f"{SITE}/",
            "name": "The Harbour Times",
            "description": "The latest news from The Harbour Times.",
            "isPartOf": WEBSITE,
            "publisher": PUBLISHER,
            "mainEntity": item_list(reversed(articles)),
        },
        {"@context": "https://schema.org", **WEBSITE},
    ]


def test_a_later_page_is_its_own_canonical_page_numbered_on(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    articles = listed_articles(3)

    html = client.get("/?page=2").content.decode()

    assert canonical(html) == [f"{SITE}/?page=2"]
    assert og(html)["og:url"] == [f"{SITE}/?page=2"]
    (page,) = [b for b in jsonld_blocks(html) if b["@type"] == "CollectionPage"]
    assert page["mainEntity"]["itemListElement"] == [
        {"@type": "ListItem", "position": 3, "url": SITE + articles[0].get_absolute_url()}
    ]


def test_section_page_is_a_collection_page_with_breadcrumbs(client):
    section = SectionFactory(name="Science", slug="science", description="Labs and   fieldwork.")
    articles = listed_articles(2, section=section)

    html = client.get("/section/science/").content.decode()

    url = f"{SITE}/section/science/"
    assert canonical(html) == [url]
    tags = og(html)
    assert tags["og:title"] == ["Science · The Harbour Times"]
    assert tags["description"] == ["Labs and fieldwork."]
    assert jsonld_blocks(html) == [
        {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "@id": url,
            "url": url,
            "name": "Science",
            "description": "Labs and fieldwork.",
            "isPartOf": WEBSITE,
            "publisher": PUBLISHER,
            "mainEntity": item_list(reversed(articles)),
        },
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": 1,
                    "name": "The Harbour Times",
                    "item": f"{SITE}/",
                },
                {"@type": "ListItem", "position": 2, "name": "Science", "item": url},
            ],
        },
    ]


def test_tag_page_is_a_collection_page(client):
    tag = TagFactory(name="Tides", slug="tides")
    (article,) = listed_articles(1)
    article.tags.add(tag)

    html = client.get("/tag/tides/").content.decode()

    url = f"{SITE}/tag/tides/"
    assert canonical(html) == [url]
    assert og(html)["og:title"] == ["Tides · The Harbour Times"]
    (page,) = jsonld_blocks(html)
    assert page["@type"] == "CollectionPage"
    assert (page["url"], page["name"], page["description"]) == (
        url,
        "Tides",
        "Articles tagged Tides on The Harbour Times.",
    )
    assert page["mainEntity"] == item_list([article])


def test_topic_page_is_a_collection_page_about_its_subject(client):
    topic = Topic.objects.create(name="Port Authority", slug="port-authority", kind="organisation")
    (article,) = listed_articles(1)
    ArticleTopic.objects.create(article=article, topic=topic, status="confirmed")

    html = client.get("/topic/port-authority/").content.decode()

    url = f"{SITE}/topic/port-authority/"
    assert canonical(html) == [url]
    (page,) = jsonld_blocks(html)
    assert page["@type"] == "CollectionPage"
    assert page["about"] == {"@type": "Organization", "name": "Port Authority", "url": url}
    assert page["description"] == "News about Port Authority from The Harbour Times."
    assert page["mainEntity"] == item_list([article])


def test_author_page_is_a_profile_page_of_the_writer_without_their_email(client):
    writer = UserFactory(username="oskar", display_name="Oskar Test", email="oskar@example.org")
    (article,) = listed_articles(1)
    services.article_bylines_set(article=article, bylines=[services.BylineSpec(user=writer)])
    services.author_update(
        author=writer.author_profile, role="Science editor", bio="Checks every statistic twice."
    )
    author = writer.author_profile
    author.refresh_from_db()

    html = client.get("/author/oskar/").content.decode()

    url = f"{SITE}/author/oskar/"
    assert canonical(html) == [url]
    tags = og(html)
    assert tags["og:type"] == ["profile"]
    assert tags["og:title"] == ["Oskar Test · The Harbour Times"]
    assert tags["description"] == ["Checks every statistic twice."]
    assert jsonld_blocks(html) == [
        {
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "@id": url,
            "url": url,
            "name": "Oskar Test",
            "description": "Checks every statistic twice.",
            "dateCreated": author.created_at.isoformat(timespec="seconds"),
            "dateModified": author.updated_at.isoformat(timespec="seconds"),
            "isPartOf": WEBSITE,
            "mainEntity": {
                "@type": "Person",
                "name": "Oskar Test",
                "url": url,
                "jobTitle": "Science editor",
                "description": "Checks every statistic twice.",
            },
        }
    ]
    assert "oskar@example.org" not in html


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_metadata_reads_the_page_already_loaded(client):
    (first,) = listed_articles(1)
    pages = ("/", first.section.get_absolute_url())
    alone = [count_queries(client, url) for url in pages]
    ArticleFactory.create_batch(5, section=first.section)

    # The ItemList walks the same page of articles the listing shows: no query per article.
    assert [count_queries(client, url) for url in pages] == alone
