"""Reactions to newsroom's articles: their topics follow their text (connected in SearchConfig)."""

from __future__ import annotations

from broadsheet.core.effects import after_commit
from broadsheet.newsroom.models import Article

TEXT_FIELDS = ("headline", "dek", "body")
# Where an article remembers the text it was loaded with, to tell whether a save changed it.
_LOADED = "_topics_text_loaded"


def _text(instance: Article) -> tuple[str, ...] | None:
    # Read from the instance's dict: a deferred field must not cost a query on every load.
    values = vars(instance)
    if any(name not in values for name in TEXT_FIELDS):
        return None
    return tuple(values[name] for name in TEXT_FIELDS)


def _suggest(*, article_id: int) -> None:
    from broadsheet.search.topics.tasks import article_topics_suggest_task

    article_topics_suggest_task.enqueue(article_id=article_id)


def topics_text_remember_on_article_loaded(sender, instance: Article, **kwargs) -> None:
    """post_init receiver: note the headline, dek and body the article was loaded with."""
    setattr(instance, _LOADED, _text(instance))


def topics_suggest_on_article_saved(
    sender, instance: Article, created: bool = False, raw: bool = False, **kwargs
) -> None:
    """post_save receiver: after commit, recompute the topics when the text changed."""
    if raw:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not set(update_fields) & set(TEXT_FIELDS):
        return
    text = _text(instance)
    if text is not None:
        if not created and text == getattr(instance, _LOADED, None):
            return
        setattr(instance, _LOADED, text)
    # A text not fully loaded (deferred fields) may have changed: the task reads it afresh.
    after_commit(_suggest, article_id=instance.pk)
