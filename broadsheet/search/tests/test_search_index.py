"""The index follows the articles after commit; search_reindex rebuilds it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.tests.factories import ArticleFactory
from broadsheet.search.models import SearchEntry
from broadsheet.search.selectors import article_search
from broadsheet.search.services import entry_sync, index_rebuild
from broadsheet.search.tests.indexing import committed, published

pytestmark = pytest.mark.django_db


def found(text: str, **kwargs) -> list[str]:
    return [hit.article.headline for hit in article_search(text=text, **kwargs).hits]


def test_a_saved_article_is_indexed_after_commit_not_inside_the_request(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = ArticleFactory.create(headline="Lighthouse reopens")
        assert not SearchEntry.objects.filter(article=article).exists()
    assert callbacks

    for callback in callbacks:
        callback()

    entry = SearchEntry.objects.get(article=article)
    assert entry.headline == "Lighthouse reopens"
    assert entry.dek == "What happened at the harbour."
    assert entry.body == "The harbour reopened on Monday. Boats returned by noon."
    assert found("lighthouse") == ["Lighthouse reopens"]


def test_an_edit_is_searchable_by_its_new_words_only():
    article = published(headline="Lighthouse reopens", body="The keeper is back.")

    with committed():
        newsroom.article_update(article=article, headline="Lantern relit", body="Oil, then light.")

    assert found("lighthouse") == []
    assert found("keeper") == []
    assert found("lantern") == ["Lantern relit"]
    assert found("oil") == ["Lantern relit"]


def test_unpublishing_and_deleting_remove_the_entry():
    taken_down = published(headline="Lighthouse story one")
    deleted = published(headline="Lighthouse story two")

    with committed():
        newsroom.article_unpublish(article=taken_down)
        newsroom.article_delete(article=deleted)

    assert SearchEntry.objects.count() == 0
    assert found("lighthouse") == []


def test_a_deleted_article_is_not_found_even_before_its_entry_is_removed(
    django_capture_on_commit_callbacks,
):
    published(headline="Lighthouse story")
    article = Article.objects.get()

    with django_capture_on_commit_callbacks(execute=False):
        article.delete()

    assert SearchEntry.objects.count() == 1
    assert found("lighthouse") == []


def test_a_draft_is_never_indexed_and_republishing_indexes_it():
    draft = published(headline="Lighthouse draft", status="draft", published_at=None)
    assert not SearchEntry.objects.exists()

    with committed():
        newsroom.article_publish(article=draft)

    assert found("lighthouse") == ["Lighthouse draft"]


def test_a_scheduled_article_turns_up_at_its_time_without_any_reindex():
    at = timezone.now() + dt.timedelta(hours=3)
    article = published(headline="Lighthouse draft", status="draft", published_at=None)
    with committed():
        newsroom.article_schedule(article=article, publish_at=at)

    assert found("lighthouse") == []
    assert found("lighthouse", now=at - dt.timedelta(seconds=1)) == []
    assert found("lighthouse", now=at) == ["Lighthouse draft"]


def test_a_save_that_changes_no_indexed_field_schedules_no_reindex():
    article = published(headline="Lighthouse story")
    SearchEntry.objects.filter(article=article).update(headline="stale on purpose")

    with committed():
        article.comments_enabled = False
        article.save(update_fields=["comments_enabled"])
    assert SearchEntry.objects.get(article=article).headline == "stale on purpose"

    with committed():
        article.save()
    assert SearchEntry.objects.get(article=article).headline == "Lighthouse story"


def test_entry_sync_forgets_an_article_that_no_longer_exists():
    article = published(headline="Lighthouse story")
    pk = article.pk
    # Deleted without running what it scheduled after commit, as when a task is lost.
    Article.objects.filter(pk=pk).delete()

    assert entry_sync(article_id=pk) is False
    assert not SearchEntry.objects.filter(article_id=pk).exists()


def test_body_markup_is_indexed_as_words():
    published(headline="Notes", body="**Bold** words and [a link](https://example.org/x).")

    entry = SearchEntry.objects.get()
    assert entry.body == "Bold words and a link."
    assert found("link") == ["Notes"]
    assert found("example") == []


def _entries() -> dict[int, str]:
    return dict(SearchEntry.objects.values_list("article_id", "headline"))


def test_reindex_rebuilds_every_entry_and_drops_stale_ones():
    live = [published(headline=f"Lighthouse {i}") for i in range(3)]
    draft = published(headline="Draft", status="draft", published_at=None)
    SearchEntry.objects.all().delete()
    # A stale row for a draft, as left by a lost task.
    SearchEntry.objects.create(article_id=draft.pk, headline="Draft")

    out = StringIO()
    call_command("search_reindex", "--dry-run", stdout=out)
    assert out.getvalue() == "Would index 3 articles, would remove 1 stale entry in 0.0 s.\n"
    assert _entries() == {draft.pk: "Draft"}

    out = StringIO()
    call_command("search_reindex", "--batch-size", "2", stdout=out)
    assert out.getvalue().startswith("Indexed 3 articles, removed 1 stale entry in ")
    assert _entries() == {a.pk: a.headline for a in live}
    assert sorted(found("lighthouse")) == ["Lighthouse 0", "Lighthouse 1", "Lighthouse 2"]


def test_reindex_reports_progress_batch_by_batch():
    for i in range(5):
        published(headline=f"Lighthouse {i}")
    seen: list[tuple[int, int]] = []

    result = index_rebuild(batch_size=2, progress=lambda done, total: seen.append((done, total)))

    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert (result.indexed, result.removed, result.dry_run) == (5, 0, False)


def test_reindex_refuses_a_batch_size_below_one():
    with pytest.raises(CommandError, match="--batch-size must be at least 1."):
        call_command("search_reindex", "--batch-size", "0", stdout=StringIO())


def test_reindex_draws_a_progress_bar_on_a_terminal():
    published(headline="Lighthouse")

    class Terminal(StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    call_command("search_reindex", stdout=out)

    assert "\r[------------------------------] Indexing: 0/1 articles (0%)" in out.getvalue()
    assert "\r[##############################] Indexing: 1/1 articles (100%)\n" in out.getvalue()
