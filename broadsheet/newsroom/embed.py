"""The discussion embedded under an article: its thread, and the section's template context."""

from __future__ import annotations

from django.http import HttpRequest

from broadsheet.discussion.display import discussion_section
from broadsheet.discussion.models import Thread
from broadsheet.discussion.services import thread_get_or_create
from broadsheet.newsroom.models import Article


def article_thread_key(article: Article) -> str:
    """Return the discussion thread key of an article."""
    return f"article:{article.pk}"


def article_thread(article: Article) -> Thread:
    """Return the article's discussion thread, creating it on first use."""
    return thread_get_or_create(
        key=article_thread_key(article),
        url=article.get_absolute_url(),
        title=article.headline,
        published_at=article.published_at,
        closed=not article.comments_enabled,
    )


def discussion_context(request: HttpRequest, article: Article) -> dict:
    """Return the template context for the article's discussion section."""
    return {"discussion": discussion_section(request, thread=article_thread(article))}
