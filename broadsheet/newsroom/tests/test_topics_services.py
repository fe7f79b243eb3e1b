"""Topic services: the editors' list, stored suggestions, and editors' decisions on them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from broadsheet.newsroom import services
from broadsheet.newsroom.models import ArticleTopic, Topic
from broadsheet.newsroom.services import TopicSuggestion

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def stored(article) -> list[tuple[str, str, str, int]]:
    rows = ArticleTopic.objects.filter(article=article).select_related("topic")
    return sorted((r.topic.name, r.status, r.origin, r.mentions) for r in rows)


def test_a_topic_gets_a_slug_from_its_name_and_clean_aliases():
    topic = services.topic_create(
        name="  Quds   Force ",
        kind="organisation",
        listed=True,
        aliases="Qods Force\n\n  qods   force \nQUDS FORCE\nAl-Quds Force",
    )

    assert (topic.name, topic.slug, topic.kind, topic.listed) == (
        "Quds Force",
        "quds-force",
        "organisation",
        True,
    )
    assert topic.alias_list == ["Qods Force", "Al-Quds Force"]
    assert topic.get_absolute_url() == "/topic/quds-force/"


def test_a_name_without_latin_letters_gets_a_topic_slug():
    article = ArticleFactory()

    services.article_topics_suggest(
        article=article,
        suggestions=[
            TopicSuggestion(name="Дамаск", kind="place", mentions=1),
            TopicSuggestion(name="دمشق", kind="place", mentions=1),
        ],
    )

    assert sorted(Topic.objects.values_list("slug", flat=True)) == ["topic", "topic-2"]


def test_a_second_topic_with_the_same_name_in_any_case_is_refused():
    services.topic_create(name="Hezbollah", kind="organisation")

    with pytest.raises(ValidationError) as error:
        services.topic_create(name="HEZBOLLAH")

    assert error.value.message_dict == {"name": ["A topic called 'HEZBOLLAH' already exists."]}


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError) as error:
        services.topic_create(name="Latakia", kind="city")

    assert error.value.message_dict == {
        "kind": ["Unknown kind 'city': use one of person, organisation, place, other."]
    }


def test_a_spelling_can_belong_to_one_listed_topic_only():
    services.topic_create(name="Quds Force", listed=True, aliases="Qods Force")

    with pytest.raises(ValidationError) as alias_error:
        services.topic_create(name="Jerusalem Force", listed=True, aliases="qods force")
    with pytest.raises(ValidationError) as name_error:
        services.topic_create(name="Qods Force", listed=True)

    assert alias_error.value.message_dict == {
        "aliases": ["'qods force' is already a spelling of 'Quds Force' on the list."]
    }
    assert name_error.value.message_dict == {
        "name": ["'Qods Force' is already a spelling of 'Quds Force'."]
    }
    # Off the list, a topic may be spelled like a listed one's alias: the list decides matches.
    assert services.topic_create(name="Qods Force").listed is False


def test_putting_a_topic_on_the_list_checks_its_spellings():
    services.topic_create(name="Quds Force", listed=True, aliases="Qods Force")
    guess = services.topic_create(name="Qods Force", kind="person")

    with pytest.raises(ValidationError):
        services.topic_update(topic=guess, listed=True)

    renamed = services.topic_update(topic=guess, name="Qassem Soleimani", listed=True)
    assert (renamed.name, renamed.slug, renamed.kind, renamed.listed) == (
        "Qassem Soleimani",
        "qods-force",
        "person",
        True,
    )


def test_suggestions_are_stored_as_suggested_with_new_topics_for_new_names():
    article = ArticleFactory()
    quds = services.topic_create(name="Quds Force", kind="organisation", listed=True)
    known = services.topic_create(name="Syria", kind="place", description="A country.")

    result = services.article_topics_suggest(
        article=article,
        suggestions=[
            TopicSuggestion(
                name="Qods Force", kind="person", mentions=3, origin="list", topic_id=quds.pk
            ),
            TopicSuggestion(name="syria", kind="organisation", mentions=9),
            TopicSuggestion(name="Latakia", kind="place", mentions=1),
        ],
    )

    assert (result.added, result.removed) == (3, 0)
    assert [row.topic.name for row in result.article_topics] == ["Quds Force", "Syria", "Latakia"]
    assert stored(article) == [
        ("Latakia", "suggested", "model", 1),
        ("Quds Force", "suggested", "list", 3),
        ("Syria", "suggested", "model", 9),
    ]
    # Known topics keep their spelling and kind; new ones take the suggestion's.
    assert Topic.objects.get(pk=known.pk).kind == "place"
    assert Topic.objects.get(pk=quds.pk).kind == "organisation"
    latakia = Topic.objects.get(name="Latakia")
    assert (latakia.slug, latakia.kind, latakia.listed) == ("latakia", "place", False)


def test_storing_again_keeps_decisions_and_removes_stale_guesses():
    article = ArticleFactory()
    other = ArticleFactory()
    first = [
        TopicSuggestion(name="Syria", kind="place", mentions=9),
        TopicSuggestion(name="Latakia", kind="place", mentions=1),
        TopicSuggestion(name="Reuters", kind="organisation", mentions=1),
        TopicSuggestion(name="Homs", kind="place", mentions=1),
        TopicSuggestion(name="Twitter", kind="person", mentions=1),
    ]
    services.article_topics_suggest(article=article, suggestions=first)
    services.article_topics_suggest(
        article=other, suggestions=[TopicSuggestion(name="Homs", kind="place", mentions=2)]
    )
    rows = {r.topic.name: r for r in ArticleTopic.objects.filter(article=article)}
    services.article_topic_confirm(article_topic=rows["Syria"])
    services.article_topic_drop(article_topic=rows["Latakia"])
    services.article_topic_confirm(article_topic=rows["Reuters"])

    result = services.article_topics_suggest(
        article=article,
        suggestions=[
            TopicSuggestion(name="Syria", kind="place", mentions=10),
            TopicSuggestion(name="Latakia", kind="place", mentions=2),
        ],
    )

    assert (result.added, result.removed) == (0, 2)
    assert stored(article) == [
        ("Latakia", "dropped", "model", 2),
        ("Reuters", "confirmed", "model", 1),
        ("Syria", "confirmed", "model", 10),
    ]
    # "Twitter" was only ever this guess; "Homs" is still suggested for another article.
    assert not Topic.objects.filter(name="Twitter").exists()
    assert Topic.objects.filter(name="Homs").exists()


def test_two_spellings_of_one_topic_add_up():
    article = ArticleFactory()
    services.topic_create(name="Quds Force", kind="organisation")

    result = services.article_topics_suggest(
        article=article,
        suggestions=[
            TopicSuggestion(name="Quds Force", kind="organisation", mentions=2),
            TopicSuggestion(name="QUDS FORCE", kind="person", mentions=1),
        ],
    )

    assert result.added == 1
    assert stored(article) == [("Quds Force", "suggested", "model", 3)]


def test_an_editor_adds_a_topic_confirmed_or_confirms_a_dropped_one():
    article = ArticleFactory()
    syria = services.topic_create(name="Syria", kind="place")
    services.article_topics_suggest(
        article=article, suggestions=[TopicSuggestion(name="Latakia", kind="place", mentions=1)]
    )
    latakia = ArticleTopic.objects.get(article=article, topic__name="Latakia")
    services.article_topic_drop(article_topic=latakia)

    added = services.article_topic_add(article=article, topic=syria)
    again = services.article_topic_add(article=article, topic=latakia.topic)

    assert (added.status, added.origin, added.decided_at is not None) == (
        "confirmed",
        "editor",
        True,
    )
    assert (again.pk, again.status, again.origin) == (latakia.pk, "confirmed", "model")
    assert stored(article) == [
        ("Latakia", "confirmed", "model", 1),
        ("Syria", "confirmed", "editor", 0),
    ]


def test_a_confirmed_topic_puts_the_article_on_the_topics_page(client):
    article = ArticleFactory(headline="Latakia port reopens")
    services.article_topics_suggest(
        article=article, suggestions=[TopicSuggestion(name="Latakia", kind="place", mentions=1)]
    )
    row = ArticleTopic.objects.get(article=article)

    assert "Latakia port reopens" not in client.get("/topic/latakia/").content.decode()
    services.article_topic_confirm(article_topic=row)
    assert "Latakia port reopens" in client.get("/topic/latakia/").content.decode()
    services.article_topic_drop(article_topic=row)
    assert "Latakia port reopens" not in client.get("/topic/latakia/").content.decode()


def test_deleting_a_topic_removes_it_from_its_articles():
    article = ArticleFactory()
    topic = services.topic_create(name="Latakia", kind="place")
    services.article_topic_add(article=article, topic=topic)

    services.topic_delete(topic=topic)

    assert stored(article) == []
