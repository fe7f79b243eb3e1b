"""Newsroom pages: parse the request, call one selector, render."""

from __future__ import annotations

import html

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import strip_tags
from django.utils.text import Truncator

from broadsheet.core.page_cache import shared_page
from broadsheet.newsroom import selectors
from broadsheet.newsroom.embed import article_thread, discussion_context
from broadsheet.newsroom.models import Article

# The query parameters a shared article page may carry: the comments' order and page.
SHARED_PAGE_PARAMS = ("sort", "page")


def front_page(request: HttpRequest) -> HttpResponse:
    """The front page: the latest published articles, paginated."""
    listing = selectors.front_page(page=request.GET.get("page"))
    return render(request, "newsroom/front.html", {"listing": listing, "page": listing.page})


def section_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A section's page: its latest published articles, paginated."""
    listing = selectors.section_page(slug=slug, page=request.GET.get("page"))
    context = {"listing": listing, "page": listing.page, "current_section": listing.section}
    return render(request, "newsroom/section.html", context)


def tag_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A tag's page: its latest published articles, paginated."""
    listing = selectors.tag_page(slug=slug, page=request.GET.get("page"))
    return render(request, "newsroom/tag.html", {"listing": listing, "page": listing.page})


def author_page(request: HttpRequest, slug: str) -> HttpResponse:
    """An author's page: name, role, bio, photo and their articles, paginated."""
    listing = selectors.author_page(slug=slug, page=request.GET.get("page"))
    return render(request, "newsroom/author.html", {"listing": listing, "page": listing.page})


def topic_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A topic's page: the articles editors confirmed it for, paginated."""
    listing = selectors.topic_page(slug=slug, page=request.GET.get("page"))
    return render(request, "newsroom/topic.html", {"listing": listing, "page": listing.page})


def article_page(request: HttpRequest, year: str, month: str, day: str, slug: str) -> HttpResponse:
    """An article's page at its dated permalink, with its discussion.

    Readers without a session share one copy per version of the article and its thread
    (core/page_cache.py): a post, an edit or a moderator's decision is a new version.
    """
    article = selectors.article_for_permalink(
        year=year, month=month, day=day, slug=slug, for_page=False
    )
    thread = article_thread(article)
    return shared_page(
        request,
        versions=(
            article.pk,
            article.updated_at,
            thread.pk,
            thread.version,
            thread.is_open,
            settings.COMMENTS_PER_PAGE,
            settings.GRAVATAR,
        ),
        last_modified=max(article.updated_at, thread.updated_at),
        render=lambda extra: _render_article(
            request, selectors.article_with_page(article), preview=False, extra=extra
        ),
        params=SHARED_PAGE_PARAMS,
    )


@staff_member_required
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an editor any article, draft or scheduled, as readers will see it; never indexed."""
    if not request.user.has_perm("newsroom.change_article"):
        raise PermissionDenied("You may not preview articles.")
    article = selectors.article_for_preview(pk=pk)
    response = _render_article(request, article, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _description(article: Article) -> str:
    """A plain-text summary for search results and link previews: the dek, else the body."""
    text = article.dek or html.unescape(strip_tags(article.body_html))
    return Truncator(" ".join(text.split())).chars(200)


def _render_article(
    request: HttpRequest, article: Article, *, preview: bool, extra: dict | None = None
) -> HttpResponse:
    absolute_url = settings.SITE_URL + article.get_absolute_url()
    context = {} if preview else dict(discussion_context(request, article))
    context.update(
        article=article,
        preview=preview,
        absolute_url=absolute_url,
        lead_image=article.lead_image if article.lead_image_id else None,
        description=_description(article),
        current_section=article.section,
        **(extra or {}),
    )
    return render(request, "newsroom/article.html", context)
