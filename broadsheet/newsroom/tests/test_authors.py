"""Author pages at WordPress's /author/<slug>/: staff bylines link there, wire bylines do not."""

import pytest
from django.core.exceptions import ValidationError

from broadsheet.newsroom import services
from broadsheet.newsroom.models import Author

from .factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def byline(article, user=None, name=""):
    services.article_bylines_set(
        article=article, bylines=[services.BylineSpec(user=user, name=name)]
    )


def test_a_staff_byline_makes_the_writers_page_once():
    writer = UserFactory(username="mara.l", display_name="Mara L")
    byline(ArticleFactory(), user=writer)
    byline(ArticleFactory(), user=writer)

    author = Author.objects.get()
    assert (author.user, author.slug, author.name) == (writer, "mara-l", "Mara L")
    assert author.get_absolute_url() == "/author/mara-l/"


def test_a_free_text_byline_gets_no_page():
    byline(ArticleFactory(), name="Wire Reporter")

    assert Author.objects.count() == 0


def test_the_author_page_shows_profile_and_only_their_published_articles(client):
    writer = UserFactory(username="oskar", display_name="Oskar Test", email="oskar@example.org")
    mine = ArticleFactory(headline="Tides are rising")
    draft = ArticleFactory(headline="Unfinished draft", status="draft", published_at=None)
    other = ArticleFactory(headline="Someone else's story")
    for article in (mine, draft):
        byline(article, user=writer)
    byline(other, name="Wire Reporter")
    services.author_update(
        author=writer.author_profile, role="Science editor", bio="Checks every statistic twice."
    )

    response = client.get("/author/oskar/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Oskar Test</h1>" in html
    assert "Science editor" in html
    assert "Checks every statistic twice." in html
    assert "Tides are rising" in html
    assert "Unfinished draft" not in html
    assert "Someone else" not in html
    assert "oskar@example.org" not in html


def test_bylines_link_to_author_pages_and_wire_names_stay_plain(client):
    writer = UserFactory(username="ines", display_name="Ines Test")
    article = ArticleFactory()
    services.article_bylines_set(
        article=article,
        bylines=[
            services.BylineSpec(user=writer),
            services.BylineSpec(name="Agency Correspondent"),
        ],
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<a class="byline__name" href="/author/ines/" rel="author">Ines Test</a>' in html
    assert '<span class="byline__name">Agency Correspondent</span>' in html


def test_unknown_author_is_404(client):
    assert client.get("/author/nobody/").status_code == 404


def test_author_slug_cannot_take_another_authors():
    first, second = UserFactory(username="a1"), UserFactory(username="a2")
    byline(ArticleFactory(), user=first)
    byline(ArticleFactory(), user=second)

    with pytest.raises(ValidationError) as exc:
        services.author_update(author=second.author_profile, slug="a1")

    assert exc.value.message_dict == {"slug": ["The slug 'a1' is already used by another author."]}
