"""Reads for the newsroom's pages, each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from broadsheet.newsroom.models import Article, ArticleTopic, Author, Section, Tag, Topic

PERMALINK_DATE = re.compile(r"[0-9]{4}/[0-9]{2}/[0-9]{2}")


@dataclass(frozen=True)
class Listing:
    """One page of articles, with what the list is of (a section, a tag, or the front page)."""

    page: Page
    section: Section | None = None
    tag: Tag | None = None
    author: Author | None = None
    topic: Topic | None = None
    most_discussed: tuple[Article, ...] = ()


def _paginate(queryset, *, page: int | str | None) -> Page:
    paginator = Paginator(queryset, settings.ARTICLES_PER_PAGE, allow_empty_first_page=True)
    try:
        return paginator.page(page or 1)
    except InvalidPage as exc:
        # Out-of-range or junk page numbers are not pages: no duplicate or empty content to index.
        raise Http404("No such page") from exc


def nav_sections() -> list[Section]:
    """Return the sections shown in the site's navigation, in their set order."""
    return list(Section.objects.all())


def most_discussed(
    *, now: dt.datetime | None = None, days: int = 7, limit: int = 5
) -> list[Article]:
    """Return the articles of the last `days` days with the most comments, from stored counts."""
    now = now or timezone.now()
    rows = Article.objects.published(now).most_discussed(since=now - dt.timedelta(days=days))
    return list(rows.select_related("section")[:limit])


def front_page(*, page: int | str | None = 1, now: dt.datetime | None = None) -> Listing:
    """Return a page of the latest published articles, and the week's most discussed."""
    articles = Article.objects.published(now).latest_first().for_listing()
    return Listing(
        page=_paginate(articles, page=page), most_discussed=tuple(most_discussed(now=now))
    )


def section_page(
    *, slug: str, page: int | str | None = 1, now: dt.datetime | None = None
) -> Listing:
    """Return a section and a page of its latest published articles; 404 if no such section."""
    section = Section.objects.filter(slug=slug).first()
    if section is None:
        raise Http404("No such section")
    articles = Article.objects.published(now).filter(section=section).latest_first().for_listing()
    return Listing(page=_paginate(articles, page=page), section=section)


def tag_page(*, slug: str, page: int | str | None = 1, now: dt.datetime | None = None) -> Listing:
    """Return a tag and a page of its latest published articles; 404 if no such tag."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("No such tag")
    articles = Article.objects.published(now).filter(tags=tag).latest_first().for_listing()
    return Listing(page=_paginate(articles, page=page), tag=tag)


def author_page(
    *, slug: str, page: int | str | None = 1, now: dt.datetime | None = None
) -> Listing:
    """Return an author's profile and a page of their published articles; 404 if no profile."""
    author = Author.objects.select_related("user", "photo").filter(slug=slug).first()
    if author is None:
        raise Http404("No such author")
    articles = (
        Article.objects.published(now)
        .filter(bylines__user_id=author.user_id, bylines__name="")
        .distinct()
        .latest_first()
        .for_listing()
    )
    return Listing(page=_paginate(articles, page=page), author=author)


def public_topics(now: dt.datetime | None = None) -> QuerySet[Topic]:
    """Topics with a page: confirmed by an editor on at least one published article.

    A mere suggestion (made for drafts too) never shows: a topic page answering would tell
    anyone who guesses a name that an unpublished story mentions it.
    """
    confirmed = ArticleTopic.objects.filter(
        topic=OuterRef("pk"),
        status=ArticleTopic.Status.CONFIRMED,
        article__in=Article.objects.published(now),
    )
    return Topic.objects.filter(Exists(confirmed))


def topic_page(*, slug: str, page: int | str | None = 1, now: dt.datetime | None = None) -> Listing:
    """Return a topic and a page of the published articles editors confirmed it for."""
    topic = public_topics(now).filter(slug=slug).first()
    if topic is None:
        raise Http404("No such topic")
    articles = (
        Article.objects.published(now)
        .filter(article_topics__topic=topic, article_topics__status=ArticleTopic.Status.CONFIRMED)
        .latest_first()
        .for_listing()
    )
    return Listing(page=_paginate(articles, page=page), topic=topic)


# An article's own columns that its version and its thread's fields are made of (embed.py).
LIGHT = (
    "slug",
    "status",
    "headline",
    "published_at",
    "updated_at",
    "comments_enabled",
    "section__slug",
)


def article_for_permalink(
    *,
    year: str,
    month: str,
    day: str,
    slug: str,
    now: dt.datetime | None = None,
    for_page: bool = True,
) -> Article:
    """Return the published article at /YYYY/MM/DD/<slug>/; 404 if unpublished or misdated.

    for_page=False loads the light row (LIGHT, one query): enough to know its version.
    """
    # One spelling per address (2026/03/07, never 2026/3/7), so each article has one URL.
    if not (PERMALINK_DATE.fullmatch(f"{year}/{month}/{day}")):
        raise Http404("No such date")
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise Http404("No such date") from exc
    articles = Article.objects.published(now)
    # The light form reads what a shared page's version and the thread need, with the section
    # joined (the thread's policy keys name it): a page-cache hit builds no full article.
    articles = articles.for_page() if for_page else articles.select_related("section").only(*LIGHT)
    # The slug is unique: no ORDER BY to build, as first() would on every page view.
    article = next(iter(articles.filter(slug=slug).order_by()[:1]), None)
    # The date is part of the address: a wrong date is a wrong address, not an alias.
    if article is None or timezone.localtime(article.published_at).date() != date:
        raise Http404("No such article")
    return article


def article_with_page(article: Article) -> Article:
    """Load what an article's page shows (bylines, credits, tags...) for an article in hand."""
    return Article.objects.for_page().get(pk=article.pk)


def article_for_preview(*, pk: int) -> Article:
    """Return any article, whatever its status, for a staff preview; 404 if absent."""
    article = Article.objects.for_page().filter(pk=pk).first()
    if article is None:
        raise Http404("No such article")
    return article
