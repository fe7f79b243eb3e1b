"""The search index: one row of plain text per findable article, kept by the search app."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from broadsheet.newsroom.models import Article


class SearchEntry(models.Model):
    """An article's headline, dek and body as plain text, the rows both full-text indexes cover.

    The full-text structures live beside this table and are created by this app's migration
    for the database in use: an FTS5 table kept in step by triggers on SQLite, a weighted
    tsvector column with a GIN index on PostgreSQL. Visibility is never stored here: every
    search joins the rows to Article.objects.published() at query time, so a scheduled article
    turns up at its time and a deleted or withdrawn one is gone before its row is.
    """

    # No database constraint and no cascade: deleting an article costs the request nothing
    # here; its row is removed after commit (signal_handlers) and never matches meanwhile.
    article = models.OneToOneField(
        Article,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="search_entry",
    )
    headline = models.TextField()
    dek = models.TextField(blank=True)
    body = models.TextField(blank=True)
    indexed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return self.headline
