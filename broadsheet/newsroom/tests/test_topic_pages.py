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
