"""Every write to the search index: one article's entry, or the whole index rebuilt."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from broadsheet.newsroom.models import Article
from broadsheet.search.models import SearchEntry
from broadsheet.search.text import BODY_MAX_CHARS, html_text, index_text

# Published and scheduled articles are indexed; whether one is visible yet is decided when a
# search runs (Article.objects.published()), so a scheduled story appears at its time, no cron.
INDEXED_STATUSES = (Article.Status.PUBLISHED, Article.Status.SCHEDULED)
_FIELDS = ("pk", "headline", "dek", "body_html", "status")


def _entry(article: Article) -> SearchEntry:
    return SearchEntry(
        article_id=article.pk,
        headline=index_text(article.headline),
        dek=index_text(article.dek),
        body=index_text(html_text(article.body_html), limit=BODY_MAX_CHARS),
        indexed_at=timezone.now(),
    )


def entry_sync(*, article_id: int) -> bool:
    """Make the article's entry match the article; return whether it is now indexed.

    A draft, a deleted or a missing article leaves no entry behind.
    """
    with transaction.atomic():
        article = (
            Article.objects.filter(pk=article_id, status__in=INDEXED_STATUSES)
            .only(*_FIELDS)
            .first()
        )
        if article is None:
            SearchEntry.objects.filter(article_id=article_id).delete()
            return False
        entry = _entry(article)
        SearchEntry.objects.update_or_create(
            article_id=article_id,
            defaults={
                "headline": entry.headline,
                "dek": entry.dek,
                "body": entry.body,
                "indexed_at": entry.indexed_at,
            },
        )
    return True


@dataclass(frozen=True)
class IndexRebuilt:
    """What a rebuild did (or, with dry_run, would do)."""

    indexed: int
    removed: int
    seconds: float
    dry_run: bool


def index_rebuild(
    *,
    batch_size: int = 500,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> IndexRebuilt:
    """Rebuild every entry from the articles, in batches of one transaction each.

    Batches keep the database's write lock short on a live site; a search meanwhile sees each
    article either as it was indexed or as it is now, never half-written.
    """
    started = time.perf_counter()
    articles = Article.objects.filter(status__in=INDEXED_STATUSES)
    total = articles.count()
    stale = SearchEntry.objects.exclude(article_id__in=articles.values("pk"))
    if dry_run:
        return IndexRebuilt(
            indexed=total,
            removed=stale.count(),
            seconds=time.perf_counter() - started,
            dry_run=True,
        )
    removed = 0
    with transaction.atomic():
        removed, _ = stale.delete()
    done, last_pk = 0, 0
    if progress:
        progress(0, total)
    while True:
        batch = list(articles.filter(pk__gt=last_pk).order_by("pk").only(*_FIELDS)[:batch_size])
        if not batch:
            break
        ids = [article.pk for article in batch]
        with transaction.atomic():
            SearchEntry.objects.filter(article_id__in=ids).delete()
            SearchEntry.objects.bulk_create([_entry(article) for article in batch])
        done += len(batch)
        last_pk = ids[-1]
        if progress:
            progress(done, total)
    _index_optimize()
    return IndexRebuilt(
        indexed=done, removed=removed, seconds=time.perf_counter() - started, dry_run=False
    )


def _index_optimize() -> None:
    """Merge FTS5's segments after a bulk load (SQLite); refresh the planner's statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            from broadsheet.search.backends.sqlite import OPTIMIZE_SQL

            cursor.execute(OPTIMIZE_SQL)
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE search_searchentry")
