"""Reactions to newsroom's models that reach another app (connected in NewsroomConfig.ready)."""

from __future__ import annotations

from broadsheet.discussion.models import Thread
from broadsheet.newsroom.embed import article_thread_hide, article_thread_key, article_thread_sync
from broadsheet.newsroom.models import Article


def thread_sync_on_article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    """post_save receiver: the thread follows its article's state (fixtures loaded raw skip)."""
    if raw:
        return
    # Only an existing thread is synced; the first read creates one from the same fields.
    if Thread.objects.filter(key=article_thread_key(instance)).exists():
        article_thread_sync(instance)


def thread_hide_on_article_deleted(sender, instance: Article, **kwargs) -> None:
    """post_delete receiver: a deleted article's discussion is hidden, not left live."""
    article_thread_hide(instance)
