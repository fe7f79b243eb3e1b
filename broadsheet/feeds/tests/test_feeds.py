"""Feeds at WordPress's addresses parse in feedparser, validate, and carry only what is public."""

from __future__ import annotations

import json

import feedparser
import pytest

from broadsheet.discussion.tests.factories import post
from broadsheet.discussion.tests.referee import Referee
from broadsheet.newsroom import services
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import ArticleTopic, Topic
from broadsheet.newsroom.tests.factories import (
    ArticleFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)

from .feed_checks import atom_problems, rss_problems

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Harbour Times"
    Referee(settings).allow()


def fetch(client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response


def parsed(client, url: str):
    feed = feedparser.parse(fetch(client, url).content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return feed


def test_site_rss_lists_published_articles_with_enclosure_and_authors(client):
    writer = UserFactory(username="mara", display_name="Mara Test", email="mara@example.org")
    live = ArticleFactory(headline="Harbour reopens", lead_image=ImageFactory())
    services.article_bylines_set(article=live, bylines=[services.BylineSpec(user=writer)])
    ArticleFactory(headline="Unpublished draft", status="draft", published_at=None)

    response = fetch(client, "/feed/")
    feed = feedparser.parse(response.content)

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert rss_problems(response.content) == []
    assert feed.bozo == 0
    assert [e.title for e in feed.entries] == ["Harbour reopens"]
    entry = feed.entries[0]
    assert entry.link == SITE + live.get_absolute_url()
    assert entry.author == "Mara Test"
    assert entry.enclosures[0].href.startswith(SITE + "/media/images/")
    assert entry.enclosures[0].type == "image/jpeg"
    assert "The harbour reopened on Monday." in entry.description
    assert b"mara@example.org" not in response.content


def test_summary_only_feeds_carry_the_dek(client, settings):
    settings.FEED_FULL_CONTENT = False
    ArticleFactory(dek="Boats are back.")

    entry = parsed(client, "/feed/").entries[0]

    assert entry.description == "Boats are back."


def test_atom_and_json_feeds(client):
    article = ArticleFactory(headline="Tide tables revised")
    writer = UserFactory(username="mara", display_name="Mara Test")
    services.article_bylines_set(article=article, bylines=[services.BylineSpec(user=writer)])
    ArticleFactory(headline="Unsigned notice")  # no byline: the site is its author

    atom = fetch(client, "/feed/atom/")
    assert atom_problems(atom.content) == []
    atom_feed = feedparser.parse(atom.content)
    assert atom_feed.feed.author == "The Harbour Times"
    by_title = {e.title: e for e in atom_feed.entries}
    assert by_title["Tide tables revised"].author == "Mara Test"
    assert "author" not in by_title["Unsigned notice"]

    response = fetch(client, "/feed/json/")
    document = json.loads(response.content)
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    item = next(i for i in document["items"] if i["title"] == "Tide tables revised")
    assert item["url"] == SITE + article.get_absolute_url()
    assert item["id"] == SITE + article.get_absolute_url()
    assert item["content_html"] == article.body_html
    assert item["authors"] == [{"name": "Mara Test", "url": SITE + "/author/mara/"}]


def test_section_tag_author_and_topic_feeds_list_only_their_articles(client):
    section, tag = SectionFactory(slug="harbour"), TagFactory(slug="boats")
    writer = UserFactory(username="ines", display_name="Ines Test")
    mine = ArticleFactory(headline="In the section", section=section)
    mine.tags.add(tag)
    services.article_bylines_set(article=mine, bylines=[services.BylineSpec(user=writer)])
    topic = Topic.objects.create(name="Port Authority", slug="port-authority")
    ArticleTopic.objects.create(article=mine, topic=topic, status="confirmed")
    other = ArticleFactory(headline="Elsewhere")
    ArticleTopic.objects.create(article=other, topic=topic, status="suggested")

    for url in (
        "/section/harbour/feed/",
        "/tag/boats/feed/",
        "/author/ines/feed/",
        "/topic/port-authority/feed/",
    ):
        assert [e.title for e in parsed(client, url).entries] == ["In the section"], url
    assert client.get("/section/nothing/feed/").status_code == 404


def test_article_comments_feed_has_approved_comments_only(client, settings):
    article = ArticleFactory(headline="Harbour fees")
    thread = article_thread(article)
    post(thread, "Fees are too high.", name="Reader <One>", email="one@example.org")
    post(thread, "Fees are fine.", name="Reader Two", email="two@example.org")
    Referee(settings).hold()
    post(thread, "Held one.", name="Reader Three", email="three@example.org")

    response = fetch(client, article.get_absolute_url() + "feed/")
    feed = feedparser.parse(response.content)

    assert rss_problems(response.content) == []
    assert sorted(e.author for e in feed.entries) == ["Reader <One>", "Reader Two"]
    assert b"Held one" not in response.content
    assert b"@example.org" not in response.content
    site_comments = parsed(client, "/comments/feed/")
    assert len(site_comments.entries) == 2


def test_feeds_answer_conditional_gets_with_304(client):
    ArticleFactory()
    first = fetch(client, "/feed/")

    assert first["ETag"]
    assert first["Last-Modified"]
    assert client.get("/feed/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    again = client.get("/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


@pytest.mark.parametrize("n", [3, 15])
def test_feed_queries_are_pinned(client, django_assert_max_num_queries, n):
    for _ in range(n):
        ArticleFactory(lead_image=ImageFactory())
    # Articles (with section, image and count), bylines, credits; comments and the thread.
    with django_assert_max_num_queries(4):
        fetch(client, "/feed/")
    with django_assert_max_num_queries(2):
        fetch(client, "/comments/feed/")


def test_pages_link_their_feeds(client):
    article = ArticleFactory(section=SectionFactory(slug="harbour"))

    front = fetch(client, "/").content.decode()
    section = fetch(client, "/section/harbour/").content.decode()
    page = fetch(client, article.get_absolute_url()).content.decode()

    assert (
        '<link rel="alternate" type="application/rss+xml" title="The Harbour Times" href="/feed/">'
        in front
    )
    assert 'href="/section/harbour/feed/"' in section
    assert f'href="{article.get_absolute_url()}feed/"' in page
    assert 'type="application/json+oembed"' in page


def test_wordpress_spellings_of_the_feeds_keep_working(client):
    article = ArticleFactory(headline="Harbour dredging", section=SectionFactory(slug="harbour"))
    post(article_thread(article), "Finally.", name="Reader One", email="one@example.org")

    assert [e.title for e in parsed(client, "/feed/rss2/").entries] == ["Harbour dredging"]
    assert [e.title for e in parsed(client, "/category/harbour/feed/").entries] == [
        "Harbour dredging"
    ]
    atom = fetch(client, "/comments/feed/atom/")
    assert atom_problems(atom.content) == []
    assert [e.author for e in feedparser.parse(atom.content).entries] == ["Reader One"]
    moved = client.get("/category/harbour/?page=2")
    assert moved.status_code == 301
    assert moved["Location"] == "/section/harbour/?page=2"


def test_a_deleted_articles_comments_leave_the_comment_feed(
    client, django_capture_on_commit_callbacks
):
    kept = ArticleFactory(headline="Kept story")
    gone = ArticleFactory(headline="Withdrawn for legal reasons")
    post(article_thread(kept), "Still here.", name="Reader One", email="one@example.org")
    post(article_thread(gone), "About the gone story.", name="Reader Two", email="two@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()

    assert [e.author for e in parsed(client, "/comments/feed/").entries] == ["Reader One"]
