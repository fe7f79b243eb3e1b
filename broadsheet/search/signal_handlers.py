"""Reactions to newsroom's articles: the index follows them after commit (see SearchConfig)."""

from __future__ import annotations

from broadsheet.core.effects import after_commit
from broadsheet.newsroom.models import Article

# A save that changed none of these leaves the entry as it is (e.g. a comment setting). Not
# body_html: Article.save() adds it to every update_fields, and it follows `body`.
INDEXED_FIELDS = frozenset({"headline", "dek", "body", "status", "published_at"})


def _entry_sync(*, article_id: int) -> None:
    from broadsheet.search.tasks import entry_sync_task

    entry_sync_task.enqueue(article_id=article_id)


def reindex_on_article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    """post_save receiver: after commit, update the article's entry (fixtures loaded raw skip)."""
    if raw:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not INDEXED_FIELDS & set(update_fields):
        return
    after_commit(_entry_sync, article_id=instance.pk)


def reindex_on_article_deleted(sender, instance: Article, **kwargs) -> None:
    """post_delete receiver: after commit, remove the article's entry."""
    after_commit(_entry_sync, article_id=instance.pk)
