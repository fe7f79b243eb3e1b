"""Reads for the search page: one page of ranked, highlighted, published articles."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString

from broadsheet.newsroom.models import Article, Section
from broadsheet.search.backends import NEWEST, RELEVANCE, backend
from broadsheet.search.query import ParsedQuery, query_parse
from broadsheet.search.text import has_mark, marked_html

ORDERS = {RELEVANCE: "Best match", NEWEST: "Newest first"}
MAX_PAGE = 10_000


@dataclass(frozen=True)
class SearchHit:
    """One article found, with its headline, dek and a body snippet, matches marked."""

    article: Article
    headline_html: SafeString
    dek_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class SearchResults:
    """One page of results, and what a pager needs."""

    query: ParsedQuery
    order: str
    total: int = 0
    number: int = 1
    num_pages: int = 1
    per_page: int = 20
    hits: list[SearchHit] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        """Whether an earlier page exists."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether a later page exists."""
        return self.number < self.num_pages

    @property
    def start_index(self) -> int:
        """The 1-based position of the page's first hit (0 when there are none)."""
        return (self.number - 1) * self.per_page + 1 if self.hits else 0

    @property
    def end_index(self) -> int:
        """The 1-based position of the page's last hit."""
        return self.start_index + len(self.hits) - 1 if self.hits else 0


def order_clean(order: str | None) -> str:
    """Return a known result order, falling back to relevance."""
    return order if order in ORDERS else RELEVANCE


def _page_number(page: int | str | None) -> int:
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        number = 1
    # Beyond any real result list: a page number this high is a typing slip or a probe.
    return min(max(number, 1), MAX_PAGE)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def article_search(
    *,
    text: str | None,
    section: Section | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    order: str | None = RELEVANCE,
    page: int | str | None = 1,
    per_page: int = 0,
    now: dt.datetime | None = None,
) -> SearchResults:
    """Return one page of the published articles matching `text`, in a fixed number of queries.

    Five queries: the ranked page with the total, the snippets, the articles with their bylines
    and credits; two more for a page past the end, which shows the last page instead.
    Only Article.objects.published(now) is ever searched, so drafts, deleted articles and
    scheduled ones before their time cannot be found, whatever the index holds.
    """
    query = query_parse(text)
    order = order_clean(order)
    per_page = per_page or settings.ARTICLES_PER_PAGE
    if query.is_empty:
        return SearchResults(query=query, order=order, per_page=per_page)
    articles = Article.objects.published(now)
    if section is not None:
        articles = articles.filter(section=section)
    if date_from is not None:
        articles = articles.filter(published_at__gte=_day_start(date_from))
    if date_to is not None and date_to < dt.date.max:
        articles = articles.filter(published_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    search = backend()
    number = _page_number(page)
    ids, total = search.ranked(  # query 1: the page and the total
        query, articles, order=order, offset=(number - 1) * per_page, limit=per_page
    )
    if not ids and number > 1:
        # Past the end: the last page instead (a count, then that page: two more queries).
        total = search.count(query, articles)
        number = max(1, math.ceil(total / per_page))
        if total:
            ids, total = search.ranked(
                query, articles, order=order, offset=(number - 1) * per_page, limit=per_page
            )
    if not total:
        return SearchResults(query=query, order=order, per_page=per_page)
    num_pages = max(1, math.ceil(total / per_page))
    marked = search.marked(query, ids)  # query 2
    # Queries 3 to 5: the articles with what a list page shows (bylines, credits, comment count).
    loaded = Article.objects.published(now).for_listing().in_bulk(ids)
    hits = []
    for pk in ids:
        article = loaded.get(pk)
        if article is None:  # taken down between two queries of this page
            continue
        marks = marked.get(pk)
        headline = marks.headline if marks and marks.headline else article.headline
        dek = marks.dek if marks and marks.dek else article.dek
        body = marks.body if marks else ""
        # The body snippet is worth showing when it holds a match, or when there is no dek.
        snippet = body if has_mark(body) or not dek else ""
        hits.append(
            SearchHit(
                article=article,
                headline_html=marked_html(headline),
                dek_html=marked_html(dek),
                snippet_html=marked_html(snippet),
            )
        )
    return SearchResults(
        query=query,
        order=order,
        total=total,
        number=number,
        num_pages=num_pages,
        per_page=per_page,
        hits=hits,
    )
