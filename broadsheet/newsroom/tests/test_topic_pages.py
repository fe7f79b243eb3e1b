"""Topic pages list the published articles editors confirmed the topic for."""

import pytest

from broadsheet.newsroom.models import ArticleTopic, Topic

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_topic_page_lists_confirmed_articles_only(client):
    topic = Topic.objects.create(name="Port Authority", slug="port-authority", kind="organisation")
    confirmed = ArticleFactory(headline="Port Authority approves dredging")
    suggested = ArticleFactory(headline="A merely suggested story")
    dropped = ArticleFactory(headline="A dropped story")
    draft = ArticleFactory(headline="A confirmed draft", status="draft", published_at=None)
    for article, status in (
        (confirmed, "confirmed"),
        (suggested, "suggested"),
        (dropped, "dropped"),
        (draft, "confirmed"),
    ):
        ArticleTopic.objects.create(article=article, topic=topic, status=status)

    response = client.get("/topic/port-authority/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Port Authority</h1>" in html
    assert '<p class="page-header__kind">Organisation</p>' in html
    assert "Port Authority approves dredging" in html
    for absent in ("merely suggested", "dropped story", "confirmed draft"):
        assert absent not in html


def test_unknown_topic_is_404(client):
    assert client.get("/topic/nothing-here/").status_code == 404


def test_article_page_links_its_confirmed_topics_only(client):
    article = ArticleFactory()
    port = Topic.objects.create(name="Port Authority", slug="port-authority")
    ferry = Topic.objects.create(name="Ferry Union", slug="ferry-union")
    ArticleTopic.objects.create(article=article, topic=port, status="confirmed")
    ArticleTopic.objects.create(article=article, topic=ferry, status="suggested")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<dt>Topics</dt>" in html
    assert '<li><a href="/topic/port-authority/">Port Authority</a></li>' in html
    assert "Ferry Union" not in html


def test_a_topic_only_suggested_or_only_on_drafts_has_no_page_or_feed(client):
    embargoed = Topic.objects.create(name="Secret Minister", slug="secret-minister")
    draft = ArticleFactory(status="draft", published_at=None)
    ArticleTopic.objects.create(article=draft, topic=embargoed, status="confirmed")
    guessed = Topic.objects.create(name="Port Authority", slug="port-authority")
    ArticleTopic.objects.create(article=ArticleFactory(), topic=guessed, status="suggested")

    for slug in ("secret-minister", "port-authority"):
        assert client.get(f"/topic/{slug}/").status_code == 404
        assert client.get(f"/topic/{slug}/feed/").status_code == 404
