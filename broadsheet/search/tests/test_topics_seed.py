"""The seed article's suggested topics: the acceptance test of topic suggestions."""

from __future__ import annotations

import pytest

from broadsheet.ingest.seed_format import read_page_file
from broadsheet.ingest.services import page_import
from broadsheet.newsroom.demo_topics import starter_topics_load
from broadsheet.newsroom.models import Article, ArticleTopic, Topic
from broadsheet.search.topics import article_topics_refresh

pytestmark = pytest.mark.django_db

EXPECTED = {
    "Qassem Soleimani": "person",
    "Quds Force": "organisation",
    "Hezbollah": "organisation",
    "Syria": "place",
    "Latakia": "place",
    "Reuters": "organisation",
    "Alaeddin Boroujerdi": "person",
}


@pytest.fixture
def seed(seed_page):
    return read_page_file(seed_page)


def suggested(article: Article) -> dict[str, str]:
    rows = ArticleTopic.objects.filter(article=article).select_related("topic")
    return {row.topic.name: row.topic.kind for row in rows}


def test_seed_article_suggests_its_people_organisations_and_places(seed):
    starter_topics_load()
    article = page_import(parsed=seed).article

    result = article_topics_refresh(article=article)

    found = {s.name: s.kind for s in result.suggestions}
    assert {name: found.get(name) for name in EXPECTED} == EXPECTED
    assert {name: kind for name, kind in suggested(article).items() if name in EXPECTED} == EXPECTED
    statuses = set(ArticleTopic.objects.filter(article=article).values_list("status", flat=True))
    assert statuses == {"suggested"}


def test_seed_surnames_and_spellings_are_merged_into_one_topic_each(seed):
    starter_topics_load()
    article = page_import(parsed=seed).article

    names = [s.name for s in article_topics_refresh(article=article).suggestions]

    # "Soleimani" and "Boroujerdi" alone are the full names; "Quds force" is the listed spelling.
    for merged in ("Soleimani", "Boroujerdi", "Quds", "Qods Force", "Quds force", "the Quds Force"):
        assert merged not in names
    soleimani = ArticleTopic.objects.get(article=article, topic__name="Qassem Soleimani")
    # Once in the headline, once by full name, four times by surname.
    assert soleimani.mentions == 6
    assert soleimani.origin == "model"
    quds = ArticleTopic.objects.get(article=article, topic__name="Quds Force")
    assert (quds.mentions, quds.origin, quds.topic.listed) == (3, "list", True)


def test_seed_without_the_editors_list_still_finds_the_names(seed):
    article = page_import(parsed=seed).article

    found = {s.name: s.kind for s in article_topics_refresh(article=article).suggestions}

    assert {name: found.get(name) for name in EXPECTED} == EXPECTED


def test_seed_comments_are_never_analysed(seed):
    imported = page_import(parsed=seed)
    assert imported.comments_created == 7

    names = {s.name for s in article_topics_refresh(article=imported.article).suggestions}

    # Named only by readers in the discussion under the article.
    for commenters_only in ("Obama", "Saddam", "America", "Suleimani", "ICSSI", "El Supremo"):
        assert commenters_only not in names
    for handle in ("5thDrawer", "arzatna1", "nagy_michael2", "ahorvath"):
        assert handle not in names


def test_importing_the_seed_suggests_its_topics_after_commit(
    seed, django_capture_on_commit_callbacks
):
    starter_topics_load()

    with django_capture_on_commit_callbacks(execute=True):
        article = page_import(parsed=seed).article

    assert {name: kind for name, kind in suggested(article).items() if name in EXPECTED} == EXPECTED
    assert Topic.objects.get(name="Latakia").listed is False
