"""The imported seed article travels: every feed parses and carries it, the sitemaps list it."""

from __future__ import annotations

import json
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from lxml import etree as ET

from broadsheet.ingest.seed_format import read_page_file
from broadsheet.ingest.services import page_import
from broadsheet.newsroom.models import Article

from .feed_checks import atom_problems, rss_problems

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HEADLINE = "Gen. Soleimani seen rallying Iranian officers, Hezbollah in Syria"


@pytest.fixture
def seed_article(seed_page, settings) -> Article:
    settings.SITE_URL = SITE
    article = page_import(parsed=read_page_file(seed_page)).article
    # The seed page is years old; bring it into the news sitemap's two-day window.
    # Saved (not update()d) so its thread follows, as it would after an editor's change: at
    # night three hours back is another day, in the article's URL and its thread's alike.
    article.published_at = timezone.now() - timedelta(hours=3)
    article.save()
    article.refresh_from_db()
    return article


def feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    return response, parsed


def test_every_feed_parses_and_lists_the_seed_article(client, seed_article):
    url = SITE + seed_article.get_absolute_url()

    rss, site_rss = feed(client, "/feed/")
    atom, site_atom = feed(client, "/feed/atom/")
    _, section = feed(client, f"/section/{seed_article.section.slug}/feed/")
    json_feed = json.loads(client.get("/feed/json/").content)

    assert rss_problems(rss.content) == []
    assert atom_problems(atom.content) == []
    for parsed in (site_rss, site_atom, section):
        assert [(e.title, e.link) for e in parsed.entries] == [(HEADLINE, url)]
    assert [(i["title"], i["url"]) for i in json_feed["items"]] == [(HEADLINE, url)]


def test_the_seed_articles_comments_feed_has_its_seven_comments(client, seed_article):
    response, comments = feed(client, seed_article.get_absolute_url() + "feed/")
    _, site_comments = feed(client, "/comments/feed/")

    assert rss_problems(response.content) == []
    assert len(comments.entries) == 7
    assert len(site_comments.entries) == 7
    assert {e.link.split("#")[0] for e in comments.entries} == {
        SITE + seed_article.get_absolute_url()
    }
    assert b"@" not in response.content.replace(b"xmlns:atom", b"")


def test_the_sitemaps_list_the_seed_article(client, seed_article):
    url = SITE + seed_article.get_absolute_url()

    articles = ET.fromstring(client.get("/sitemap-articles.xml").content)
    news = ET.fromstring(client.get("/news-sitemap.xml").content)

    assert [el.text for el in articles.iter(f"{SM}loc")] == [url]
    assert [el.text for el in news.iter(f"{SM}loc")] == [url]
