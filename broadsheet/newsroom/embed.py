"""The discussion embedded under an article: its thread, and the section's template context."""

from __future__ import annotations

from django.http import HttpRequest

from broadsheet.discussion.models import Thread
from broadsheet.discussion.section import discussion_section
from broadsheet.discussion.services import thread_get_or_create, thread_sync
from broadsheet.newsroom.models import Article


def article_thread_key(article: Article) -> str:
    """Return the discussion thread key of an article."""
    return f"article:{article.pk}"


def _thread_fields(article: Article) -> dict:
    """What the article's thread takes from the article: address, title, times, policy keys."""
    keys = [f"section:{article.section.slug}"] if article.section is not None else []
    keys.append(f"article:{article.pk}")
    visible = article.status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED)
    return {
        "key": article_thread_key(article),
        "url": article.get_absolute_url(),
        "title": article.headline,
        "published_at": article.published_at,
        "comments_enabled": article.comments_enabled,
        # Scheduled articles are visible from published_at on, checked when read: no cron.
        "visible": visible and article.published_at is not None,
        "context_keys": keys,
    }


def article_thread_sync(article: Article) -> Thread:
    """Bring the article's thread in line with the article, after the article was saved."""
    return thread_sync(**_thread_fields(article))


def article_thread_hide(article: Article) -> None:
    """Hide a deleted article's thread: its comments leave feeds and pages, and are kept."""
    if Thread.objects.filter(key=article_thread_key(article)).exists():
        thread_sync(**{**_thread_fields(article), "visible": False})


def article_thread(article: Article) -> Thread:
    """Return the article's discussion thread, creating it once; reading never changes it."""
    fields = _thread_fields(article)
    visible = fields.pop("visible")
    enabled = fields.pop("comments_enabled")
    return thread_get_or_create(
        **fields,
        closed=not enabled,
        visible_from=(article.published_at if visible else None),
    )


def discussion_context(request: HttpRequest, article: Article) -> dict:
    """Return the template context for the article's discussion section."""
    return {"discussion": discussion_section(request, thread=article_thread(article))}
