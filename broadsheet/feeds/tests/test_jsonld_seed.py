"""The imported seed article's structured data: a wire story by its three sources, 7 comments."""

from __future__ import annotations

import json
import re

import pytest

from broadsheet.discussion.models import Comment
from broadsheet.ingest.seed_format import read_page_file
from broadsheet.ingest.services import page_import

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
HEADLINE = "Gen. Soleimani seen rallying Iranian officers, Hezbollah in Syria"
SLUG = "gen-soleimani-seen-rallying-iranian-officers-hezbollah-in-syria"


def jsonld_blocks(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    return [json.loads(text) for text in found]


@pytest.fixture
def seed_article(seed_page, settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "Broadsheet"
    settings.TIME_ZONE = "UTC"
    return page_import(parsed=read_page_file(seed_page)).article


def test_seed_article_is_a_news_article_by_its_wire_sources(client, seed_article):
    url = f"{SITE}{seed_article.get_absolute_url()}"
    published = f"{seed_article.published_at:%Y-%m-%dT%H:%M:%S}+00:00"
    modified = f"{seed_article.updated_at:%Y-%m-%dT%H:%M:%S}+00:00"

    html = client.get(seed_article.get_absolute_url()).content.decode()
    (data,) = [b for b in jsonld_blocks(html) if b["@type"] == "NewsArticle"]

    assert url == f"{SITE}/{seed_article.published_at:%Y/%m/%d}/{SLUG}/"
    assert data["headline"] == HEADLINE
    assert data["url"] == url
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    # The page came without its photo (captions only): no image to offer.
    assert "image" not in data
    assert data["datePublished"] == published
    assert data["dateModified"] == modified
    assert data["author"] == [
        {"@type": "Organization", "name": "FOX NEWS"},
        {"@type": "Organization", "name": "AP"},
        {"@type": "Organization", "name": "REUTERS"},
    ]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Broadsheet",
        "url": f"{SITE}/",
        "logo": {
            "@type": "ImageObject",
            "url": f"{SITE}/static/feeds/logo.png",
            "width": 512,
            "height": 512,
        },
    }
    assert data["articleSection"] == "World"
    assert data["isAccessibleForFree"] is True
    assert data["commentCount"] == 7
    assert data["description"].startswith("Iran’s shadowy top military commander")


def test_seed_comments_are_listed_with_names_and_never_addresses(client, seed_article):
    comments = list(Comment.objects.order_by("pk"))
    url = f"{SITE}{seed_article.get_absolute_url()}"

    html = client.get(seed_article.get_absolute_url()).content.decode()
    (data,) = [b for b in jsonld_blocks(html) if b["@type"] == "NewsArticle"]

    assert [c["author"] for c in data["comment"]] == [
        {"@type": "Person", "name": name}
        for name in (
            "5thDrawer",
            "arzatna1",
            "5thDrawer",
            "Anonymous",
            "5thDrawer",
            "nagy_michael2",
            "ahorvath",
        )
    ]
    assert [c["url"] for c in data["comment"]] == [f"{url}#comment-{c.pk}" for c in comments]
    assert {c["dateCreated"] for c in data["comment"]} == {
        f"{c.created_at:%Y-%m-%dT%H:%M:%S}+00:00" for c in comments
    }
    assert data["comment"][1]["text"] == (
        "Yes he is promising them 72 virgins each if they die for Assad"
    )
    assert data["comment"][6]["text"] == (
        "Just love the way Russia and Iran (and now Cuba) are humiliating Obama."
    )
    assert all(set(c) == {"@type", "url", "author", "dateCreated", "text"} for c in data["comment"])
