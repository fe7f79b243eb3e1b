"""The editors' admin: search, filters, inlines, preview link, publish actions, roles."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from broadsheet.accounts.roles import EDITORS
from broadsheet.newsroom.models import Article

from .factories import ArticleFactory, ImageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    """A staff user whose only rights come from the Editors group."""
    out = StringIO()
    call_command("roles_sync", stdout=out)
    assert "Editors:" in out.getvalue()
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    return client


def test_editor_searches_articles_by_headline_and_body(editor_client):
    ArticleFactory(headline="Bridge vote", body="The islanders chose ferries.")
    ArticleFactory(headline="Market opens", body="Forty stalls.")

    by_body = editor_client.get("/admin/newsroom/article/", {"q": "ferries"}).content.decode()
    by_headline = editor_client.get("/admin/newsroom/article/", {"q": "Market"}).content.decode()

    assert "Bridge vote" in by_body and "Market opens" not in by_body
    assert "Market opens" in by_headline and "Bridge vote" not in by_headline


def test_editor_filters_by_status_and_sees_live_state_and_preview_links(editor_client):
    draft = ArticleFactory(headline="Draft piece", status=Article.Status.DRAFT)
    ArticleFactory(headline="Live piece")

    html = editor_client.get("/admin/newsroom/article/", {"status__exact": "draft"}).content
    html = html.decode()

    assert "Draft piece" in html and "Live piece" not in html
    assert f'href="/preview/{draft.pk}/"' in html
    assert "Live" in html  # the live-state column


def test_article_change_page_has_inlines_and_a_preview_link(editor_client):
    article = ArticleFactory()

    html = editor_client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()

    for inline in ("bylines-group", "credits-group", "corrections-group"):
        assert inline in html
    assert f'href="/preview/{article.pk}/"' in html
    assert "prepopulated" in html.lower()


def test_editor_can_preview_a_draft(editor_client):
    draft = ArticleFactory(headline="Not out yet", status=Article.Status.DRAFT)

    response = editor_client.get(f"/preview/{draft.pk}/")

    assert response.status_code == 200
    assert "Not out yet" in response.content.decode()


def test_publish_and_unpublish_actions_use_the_workflow(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    editor_client.post(
        "/admin/newsroom/article/", {"action": "publish_now", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_live

    editor_client.post(
        "/admin/newsroom/article/", {"action": "unpublish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and not draft.is_live


def test_image_admin_shows_a_thumbnail(editor_client):
    image = ImageFactory()

    html = editor_client.get("/admin/newsroom/image/").content.decode()

    assert f'<img src="{image.file.url}"' in html


def test_saving_a_scheduled_article_without_time_shows_the_error(admin_client):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "status": "scheduled",
        "body": "Kept text",
        "comments_enabled": "on",
        **{f"{p}-TOTAL_FORMS": "0" for p in ("bylines", "credits", "corrections")},
        **{f"{p}-INITIAL_FORMS": "0" for p in ("bylines", "credits", "corrections")},
    }

    response = admin_client.post(f"/admin/newsroom/article/{article.pk}/change/", data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "needs the date and time it goes live" in html
    assert "Kept text" in html


def test_editor_can_pick_a_staff_writer_for_a_byline(editor_client):
    UserFactory(username="writer-autocomplete", display_name="Findable Writer")

    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "newsroom",
            "model_name": "byline",
            "field_name": "user",
            "term": "writer-auto",
        },
    )

    assert response.status_code == 200
    assert "Findable Writer" in response.content.decode()
