"""One search interface, two implementations chosen by the database in use.

The backends write their SQL by hand (FTS5 and tsvector have no ORM spelling), from constants
and the SQL Django compiles for the articles queryset; every value is a query parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.db import connection

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from broadsheet.newsroom.models import Article
    from broadsheet.search.query import ParsedQuery

RELEVANCE = "relevance"
NEWEST = "newest"


@dataclass(frozen=True)
class Marked:
    """An article's fields with the backend's markers around the words that matched."""

    headline: str
    dek: str
    body: str


class SearchBackend(Protocol):
    """What a full-text backend does; `articles` is the published (and filtered) queryset."""

    vendor: str

    def count(self, query: ParsedQuery, articles: QuerySet[Article]) -> int:
        """Return how many of `articles` match."""
        ...

    def ranked(
        self,
        query: ParsedQuery,
        articles: QuerySet[Article],
        *,
        order: str,
        offset: int,
        limit: int,
    ) -> tuple[list[int], int]:
        """Return the ids of one page of matches, best (or newest) first, and the total.

        The total comes with the page (a window count: one pass over the matches); it is 0
        when the page is past the end.
        """
        ...

    def marked(self, query: ParsedQuery, ids: list[int]) -> dict[int, Marked]:
        """Return the marked headline, dek and body snippet of each article in `ids`."""
        ...


def articles_sql(articles: QuerySet[Article]) -> tuple[str, tuple]:
    """Compile `articles` to a subquery of (id, published_at) to join the index with.

    Visibility and the reader's filters are the queryset's (Article.objects.published()), so
    the search can never disagree with the site's pages about what is published.
    """
    sql, params = articles.order_by().values("id", "published_at").query.sql_with_params()
    return sql, tuple(params)


def backend() -> SearchBackend:
    """Return the backend for the default database."""
    if connection.vendor == "postgresql":
        from broadsheet.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from broadsheet.search.backends.sqlite import SqliteBackend

    return SqliteBackend()
