"""The editors' admin for topics: the list of names, and the topics on each article."""

from __future__ import annotations

from collections.abc import Sequence
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from broadsheet.accounts.roles import EDITORS
from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article, ArticleTopic, Topic
from broadsheet.newsroom.services import TopicSuggestion

from .factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

PREFIX = "article_topics"


@pytest.fixture
def editor_client(client):
    """A staff user whose only rights come from the Editors group."""
    call_command("roles_sync", stdout=StringIO())
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    return client


@pytest.fixture
def suggested():
    article = ArticleFactory(headline="Soleimani seen in Syria")
    services.article_topics_suggest(
        article=article,
        suggestions=[
            TopicSuggestion(name="Syria", kind="place", mentions=9),
            TopicSuggestion(name="Latakia", kind="place", mentions=1),
        ],
    )
    return article


def rows(article: Article) -> dict[str, tuple[str, str]]:
    found = ArticleTopic.objects.filter(article=article).select_related("topic")
    return {row.topic.name: (row.status, row.origin) for row in found}


def article_form(article: Article, **fields) -> dict:
    """The article change form as the admin page sends it, without any inline row."""
    when = timezone.localtime(article.published_at)
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "status": article.status,
        "published_at_0": f"{when:%Y-%m-%d}",
        "published_at_1": f"{when:%H:%M:%S}",
        "section": str(article.section_id or ""),
        "comments_enabled": "on",
        "import_key": article.import_key,
    }
    for prefix in ("bylines", "credits", "corrections"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | fields


def topic_rows(article: Article, statuses: dict[str, str], new: Sequence[Topic] = ()) -> dict:
    """The topics inline: the article's rows with the statuses chosen, then any new rows."""
    existing = list(ArticleTopic.objects.filter(article=article).order_by("topic__name"))
    data = {
        f"{PREFIX}-TOTAL_FORMS": str(len(existing) + len(new)),
        f"{PREFIX}-INITIAL_FORMS": str(len(existing)),
    }
    for i, row in enumerate(existing):
        data |= {
            f"{PREFIX}-{i}-id": str(row.pk),
            f"{PREFIX}-{i}-article": str(article.pk),
            f"{PREFIX}-{i}-status": statuses.get(row.topic.name, row.status),
        }
    for j, topic in enumerate(new, start=len(existing)):
        data |= {f"{PREFIX}-{j}-topic": str(topic.pk), f"{PREFIX}-{j}-status": "confirmed"}
    return data


def test_an_editor_puts_a_name_on_the_list_with_its_aliases(editor_client):
    response = editor_client.post(
        "/admin/newsroom/topic/add/",
        {
            "name": "Quds Force",
            "slug": "quds-force",
            "kind": "organisation",
            "listed": "on",
            "aliases": "Qods Force\r\nqods force\r\n",
            "description": "",
        },
    )

    assert response.status_code == 302
    topic = Topic.objects.get()
    assert (topic.name, topic.slug, topic.kind, topic.listed, topic.alias_list) == (
        "Quds Force",
        "quds-force",
        "organisation",
        True,
        ["Qods Force"],
    )


def test_a_spelling_another_listed_topic_has_is_refused_next_to_the_field(editor_client):
    services.topic_create(name="Quds Force", kind="organisation", listed=True, aliases="Qods Force")

    response = editor_client.post(
        "/admin/newsroom/topic/add/",
        {
            "name": "Jerusalem Force",
            "slug": "jerusalem-force",
            "kind": "organisation",
            "listed": "on",
            "aliases": "Qods Force",
            "description": "Kept text",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "&#x27;Qods Force&#x27; is already a spelling of &#x27;Quds Force&#x27; on the list."
        in html
    )
    assert "Kept text" in html
    assert Topic.objects.count() == 1


def test_the_topic_list_shows_confirmed_articles_and_lists_topics(editor_client, suggested):
    syria = ArticleTopic.objects.get(article=suggested, topic__name="Syria")
    services.article_topic_confirm(article_topic=syria)

    html = editor_client.get("/admin/newsroom/topic/").content.decode()
    response = editor_client.post(
        "/admin/newsroom/topic/",
        {"action": "list_add", "_selected_action": [str(syria.topic_id)]},
    )

    assert '<td class="field-confirmed_articles">1</td>' in html
    assert '<td class="field-confirmed_articles">0</td>' in html
    assert response.status_code == 302
    assert Topic.objects.get(pk=syria.topic_id).listed is True


def test_the_article_page_shows_its_suggested_topics(editor_client, suggested):
    html = editor_client.get(f"/admin/newsroom/article/{suggested.pk}/change/").content.decode()

    assert f'id="{PREFIX}-group"' in html
    assert "Latakia" in html and "Syria" in html
    assert '<option value="suggested" selected>Suggested</option>' in html
    assert '<option value="dropped">Dropped</option>' in html


def test_an_editor_confirms_drops_and_adds_topics_on_the_article(editor_client, suggested):
    quds = services.topic_create(name="Quds Force", kind="organisation", listed=True)
    data = article_form(suggested) | topic_rows(
        suggested, {"Syria": "confirmed", "Latakia": "dropped"}, new=[quds]
    )

    response = editor_client.post(f"/admin/newsroom/article/{suggested.pk}/change/", data)

    assert response.status_code == 302
    assert rows(suggested) == {
        "Syria": ("confirmed", "model"),
        "Latakia": ("dropped", "model"),
        "Quds Force": ("confirmed", "editor"),
    }
    assert ArticleTopic.objects.get(article=suggested, topic=quds).decided_at is not None


def test_a_decided_topic_cannot_go_back_to_suggested(editor_client, suggested):
    latakia = ArticleTopic.objects.get(article=suggested, topic__name="Latakia")
    services.article_topic_drop(article_topic=latakia)
    data = article_form(suggested) | topic_rows(suggested, {"Latakia": "suggested"})

    response = editor_client.post(f"/admin/newsroom/article/{suggested.pk}/change/", data)

    assert response.status_code == 200
    assert "Select a valid choice. suggested is not one of the available choices." in (
        response.content.decode()
    )
    assert rows(suggested)["Latakia"] == ("dropped", "model")


def test_an_article_form_sent_without_the_topics_changes_no_topic(editor_client, suggested):
    data = article_form(suggested, headline="Soleimani seen in Latakia")

    response = editor_client.post(f"/admin/newsroom/article/{suggested.pk}/change/", data)

    assert response.status_code == 302
    suggested.refresh_from_db()
    assert suggested.headline == "Soleimani seen in Latakia"
    assert rows(suggested) == {"Syria": ("suggested", "model"), "Latakia": ("suggested", "model")}


def test_actions_confirm_or_drop_the_suggested_topics_of_articles(editor_client, suggested):
    other = ArticleFactory()
    services.article_topics_suggest(
        article=other, suggestions=[TopicSuggestion(name="Homs", kind="place", mentions=1)]
    )
    latakia = ArticleTopic.objects.get(article=suggested, topic__name="Latakia")
    services.article_topic_drop(article_topic=latakia)

    editor_client.post(
        "/admin/newsroom/article/",
        {"action": "topics_confirm_suggested", "_selected_action": [str(suggested.pk)]},
    )
    editor_client.post(
        "/admin/newsroom/article/",
        {"action": "topics_drop_suggested", "_selected_action": [str(other.pk)]},
    )

    assert rows(suggested) == {"Syria": ("confirmed", "model"), "Latakia": ("dropped", "model")}
    assert rows(other) == {"Homs": ("dropped", "model")}


def test_an_editor_finds_a_topic_to_add_by_name_or_alias(editor_client):
    services.topic_create(name="Quds Force", kind="organisation", listed=True, aliases="Qods Force")
    services.topic_create(name="Syria", kind="place")

    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "newsroom",
            "model_name": "articletopic",
            "field_name": "topic",
            "term": "qods",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Quds Force"]
