"""Sitemaps, the Google News sitemap, robots.txt and oEmbed, as crawlers and embedders read them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree as ET

from broadsheet.feeds.sitemaps import ArticleSitemap
from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article, ArticleTopic, Topic
from broadsheet.newsroom.tests.factories import (
    ArticleFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Harbour Times"


def xml_at(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locs(root) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SM}loc")]


def test_index_links_one_file_per_kind_and_each_lists_its_pages(client):
    writer = UserFactory(username="ines", display_name="Ines Test")
    article = ArticleFactory(section=SectionFactory(slug="harbour"))
    article.tags.add(TagFactory(slug="boats"))
    services.article_bylines_set(article=article, bylines=[services.BylineSpec(user=writer)])
    topic = Topic.objects.create(name="Port Authority", slug="port-authority")
    ArticleTopic.objects.create(article=article, topic=topic, status="confirmed")
    ArticleFactory(status="draft", published_at=None, slug="secret-draft")
    SectionFactory(slug="empty-section")

    index = xml_at(client, "/sitemap.xml")
    assert index.tag == f"{SM}sitemapindex"
    kinds = ("articles", "sections", "tags", "authors", "topics")
    assert sorted(locs(index)) == sorted(f"{SITE}/sitemap-{kind}.xml" for kind in kinds)

    articles = xml_at(client, "/sitemap-articles.xml")
    assert locs(articles) == [SITE + article.get_absolute_url()]
    lastmod = articles.find(f"{SM}url/{SM}lastmod")
    assert lastmod is not None and lastmod.text == article.updated_at.date().isoformat()
    assert locs(xml_at(client, "/sitemap-sections.xml")) == [f"{SITE}/section/harbour/"]
    assert locs(xml_at(client, "/sitemap-tags.xml")) == [f"{SITE}/tag/boats/"]
    assert locs(xml_at(client, "/sitemap-authors.xml")) == [f"{SITE}/author/ines/"]
    assert locs(xml_at(client, "/sitemap-topics.xml")) == [f"{SITE}/topic/port-authority/"]
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_big_site_is_split_into_pages_the_index_links(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    made = [ArticleFactory() for _ in range(5)]

    index = xml_at(client, "/sitemap.xml")
    pages = [u for u in locs(index) if "articles" in u]
    assert pages == [
        f"{SITE}/sitemap-articles.xml",
        f"{SITE}/sitemap-articles.xml?p=2",
        f"{SITE}/sitemap-articles.xml?p=3",
    ]
    listed = []
    for n in (1, 2, 3):
        listed += locs(xml_at(client, f"/sitemap-articles.xml?p={n}"))
    assert sorted(listed) == sorted(SITE + a.get_absolute_url() for a in made)
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404


def test_news_sitemap_lists_the_last_two_days_with_publication_data(client):
    fresh = ArticleFactory(headline="Ferries <resume> tonight")
    ArticleFactory(headline="Last week", published_at=timezone.now() - timedelta(days=3))
    ArticleFactory(headline="Not yet out", status="draft", published_at=None)

    root = xml_at(client, "/news-sitemap.xml")
    urls = root.findall(f"{SM}url")

    assert [u.findtext(f"{SM}loc") for u in urls] == [SITE + fresh.get_absolute_url()]
    news = urls[0].find(f"{NEWS}news")
    assert news is not None
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Harbour Times"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Ferries <resume> tonight"
    published = news.findtext(f"{NEWS}publication_date") or ""
    assert published[:19] == fresh.published_at.strftime("%Y-%m-%dT%H:%M:%S")
    assert published[19:] in ("+00:00", "Z")


def test_news_sitemap_stops_at_a_thousand(client, monkeypatch):
    monkeypatch.setattr("broadsheet.feeds.views.NEWS_SITEMAP_MAX", 3)
    for _ in range(5):
        ArticleFactory()

    assert len(xml_at(client, "/news-sitemap.xml").findall(f"{SM}url")) == 3


def test_robots_names_the_sitemaps_and_keeps_private_pages_out(client):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert lines[0] == "User-agent: *"
    for path in ("/preview/", "/moderation/", "/accounts/", "/api/", "/admin/", "/search/"):
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/news-sitemap.xml" in lines
    assert "Disallow: /" not in lines  # articles stay crawlable


def test_oembed_answers_a_rich_card_for_an_article(client):
    writer = UserFactory(username="mara", display_name="Mara Test", email="mara@example.org")
    article = ArticleFactory(headline="Harbour <b>reopens</b>", lead_image=ImageFactory())
    services.article_bylines_set(article=article, bylines=[services.BylineSpec(user=writer)])
    url = SITE + article.get_absolute_url()

    response = client.get("/oembed/", {"url": url, "maxwidth": "400"})
    answer = json.loads(response.content)

    assert response.status_code == 200
    assert answer["version"] == "1.0"
    assert answer["type"] == "rich"
    assert answer["title"] == "Harbour <b>reopens</b>"
    assert answer["provider_name"] == "The Harbour Times"
    assert answer["author_name"] == "Mara Test"
    assert answer["author_url"] == f"{SITE}/author/mara/"
    assert answer["width"] == 400
    assert answer["height"] == 240
    assert f'href="{url}"' in answer["html"]
    assert "Harbour &lt;b&gt;reopens&lt;/b&gt;" in answer["html"]
    assert "<script" not in answer["html"]
    assert "mara@example.org" not in response.content.decode()
    assert answer["thumbnail_url"].startswith(SITE + "/media/")


@pytest.mark.parametrize(
    "params",
    [
        {"url": "https://elsewhere.example.com/2026/01/02/story/"},
        {"url": SITE + "/section/harbour/"},
        {"url": SITE + "/2026/01/02/no-such-story/"},
        {"url": ""},
        {"url": "http://[::1"},
        {"url": "https://[::1/"},
        {"url": SITE + "//[x/"},
    ],
)
def test_oembed_refuses_what_is_not_a_published_article(client, params):
    assert client.get("/oembed/", params).status_code == 404


def test_oembed_refuses_drafts_and_xml(client):
    draft = ArticleFactory(status="draft", published_at=None)
    live = ArticleFactory()

    assert client.get("/oembed/", {"url": SITE + draft.get_absolute_url()}).status_code == 404
    xml = client.get("/oembed/", {"url": SITE + live.get_absolute_url(), "format": "xml"})
    assert xml.status_code == 501


def test_oembed_keeps_within_the_consumers_limits(client):
    url = SITE + ArticleFactory().get_absolute_url()

    small = json.loads(
        client.get("/oembed/", {"url": url, "maxwidth": "150", "maxheight": "90"}).content
    )
    wide = json.loads(client.get("/oembed/", {"url": url, "maxwidth": "5000"}).content)
    odd = json.loads(
        client.get("/oembed/", {"url": url, "maxwidth": "-3", "maxheight": "x"}).content
    )

    assert (small["width"], small["height"]) == (150, 90)
    assert (wide["width"], wide["height"]) == (600, 240)
    assert (odd["width"], odd["height"]) == (600, 240)


def test_section_lastmod_comes_from_published_articles_only(client):
    section = SectionFactory(slug="harbour")
    live = ArticleFactory(section=section)
    draft = ArticleFactory(section=section, status="draft", published_at=None)
    Article.objects.filter(pk=draft.pk).update(updated_at=timezone.now() + timedelta(days=3))
    live.refresh_from_db()

    sections = xml_at(client, "/sitemap-sections.xml")

    assert [el.text for el in sections.iter(f"{SM}lastmod")] == [live.updated_at.date().isoformat()]


def test_the_sitemap_index_answers_a_conditional_get_with_304(client):
    ArticleFactory()
    first = client.get("/sitemap.xml")

    again = client.get("/sitemap.xml", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert first.status_code == 200
    assert again.status_code == 304
