"""Suggestions follow the article's text after commit, and never overrule an editor's decision."""

from __future__ import annotations

import pytest

from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article, ArticleTopic, Topic
from broadsheet.newsroom.tests.factories import ArticleFactory
from broadsheet.search.topics.tasks import article_topics_suggest_task

pytestmark = pytest.mark.django_db

SUMMIT = (
    "Angela Merkel met Emmanuel Macron in Paris on Tuesday. "
    "Merkel said the talks went well. Macron agreed."
)


def topics(article: Article) -> dict[str, tuple[str, str, int]]:
    rows = ArticleTopic.objects.filter(article=article).select_related("topic")
    return {row.topic.name: (row.status, row.origin, row.mentions) for row in rows}


@pytest.fixture
def summit(django_capture_on_commit_callbacks) -> Article:
    with django_capture_on_commit_callbacks(execute=True):
        return services.article_create(headline="Leaders meet", dek="", body=SUMMIT)


def test_a_new_article_gets_suggestions_after_its_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = services.article_create(headline="Leaders meet", body=SUMMIT)
        # Nothing is read before the article is committed.
        assert topics(article) == {}

    for callback in callbacks:
        callback()

    assert topics(article) == {
        "Angela Merkel": ("suggested", "model", 2),
        "Emmanuel Macron": ("suggested", "model", 2),
        "Paris": ("suggested", "model", 1),
    }
    assert Topic.objects.get(name="Angela Merkel").kind == "person"


def test_changing_the_text_recomputes_and_other_changes_do_not(
    summit, django_capture_on_commit_callbacks
):
    ArticleTopic.objects.filter(article=summit, topic__name="Paris").delete()

    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(article=summit, status=Article.Status.PUBLISHED)
    assert "Paris" not in topics(summit)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(article=summit, body=SUMMIT + " Paris was sunny.")
    assert topics(summit)["Paris"] == ("suggested", "model", 2)


def test_a_text_change_saved_from_a_partly_loaded_article_recomputes(
    summit, django_capture_on_commit_callbacks
):
    partial = Article.objects.only("id", "body").get(pk=summit.pk)
    partial.body = SUMMIT + " Paris was sunny."

    with django_capture_on_commit_callbacks(execute=True):
        partial.save()

    assert topics(summit)["Paris"] == ("suggested", "model", 2)


def test_dropped_stays_dropped_and_confirmed_stays_confirmed_when_recomputed(
    summit, django_capture_on_commit_callbacks
):
    merkel = ArticleTopic.objects.get(article=summit, topic__name="Angela Merkel")
    paris = ArticleTopic.objects.get(article=summit, topic__name="Paris")
    services.article_topic_confirm(article_topic=merkel)
    services.article_topic_drop(article_topic=paris)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(
            article=summit, headline="Macron hosts Merkel in Paris", body=SUMMIT
        )

    assert topics(summit) == {
        "Angela Merkel": ("confirmed", "model", 3),
        "Emmanuel Macron": ("suggested", "model", 3),
        "Paris": ("dropped", "model", 2),
    }


def test_a_name_no_longer_in_the_text_stops_being_suggested_unless_confirmed(
    summit, django_capture_on_commit_callbacks
):
    merkel = ArticleTopic.objects.get(article=summit, topic__name="Angela Merkel")
    services.article_topic_confirm(article_topic=merkel)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(article=summit, body="The talks were postponed.")

    assert topics(summit) == {"Angela Merkel": ("confirmed", "model", 2)}
    # A topic that only ever was a guess goes with the guess; a confirmed one keeps its page.
    assert not Topic.objects.filter(name__in=["Paris", "Emmanuel Macron"]).exists()
    assert Topic.objects.filter(name="Angela Merkel").exists()


def test_a_listed_topic_is_kept_when_no_article_names_it_any_more(
    django_capture_on_commit_callbacks,
):
    quds = services.topic_create(
        name="Quds Force", kind="organisation", aliases="Qods Force", listed=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create(headline="Qods Force seen in Syria")
    assert topics(article)["Quds Force"] == ("suggested", "list", 1)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(article=article, headline="Troops seen in the north")

    assert "Quds Force" not in topics(article)
    assert Topic.objects.get(pk=quds.pk).listed is True


def test_the_task_reports_how_many_topics_it_suggested():
    article = ArticleFactory(headline="Leaders meet", dek="", body=SUMMIT)

    assert article_topics_suggest_task.enqueue(article_id=article.pk).return_value == 3
    assert article_topics_suggest_task.enqueue(article_id=article.pk + 1000).return_value == 0
