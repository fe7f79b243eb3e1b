"""PostgreSQL full text: a weighted tsvector column (A headline, B dek, C body) with a GIN index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection

from broadsheet.search.backends import NEWEST, Marked, articles_sql
from broadsheet.search.text import MARK_CLOSE, MARK_OPEN

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from broadsheet.newsroom.models import Article
    from broadsheet.search.query import ParsedQuery, Term

CONFIG = "english"
# ts_rank_cd normalization 1: divide by 1 + log(length), so a long story does not win by bulk.
RANK_NORMALIZATION = 1

# The column `document` (a stored generated tsvector: headline A, dek B, body C, in CONFIG) and
# its GIN index are created by migration 0001 on PostgreSQL; the model does not declare it.

_HEADLINE_OPTIONS = f'HighlightAll=true, StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}"'
_SNIPPET_OPTIONS = (
    'MaxFragments=2, MaxWords=32, MinWords=12, FragmentDelimiter=" … ", '
    f'StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}"'
)


def _term(term: Term) -> tuple[str, list[str]]:
    return f"websearch_to_tsquery('{CONFIG}', %s)", [term.quoted]


def _any(terms: tuple[Term, ...]) -> tuple[str, list[str]]:
    parts = [_term(term) for term in terms]
    return "(" + " || ".join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]


def tsquery(query: ParsedQuery) -> tuple[str, list[str], str, list[str]]:
    """Return (query SQL, params, required-part SQL, params) built with websearch_to_tsquery.

    Each term is its own websearch_to_tsquery, combined with tsquery operators, so the
    grouping is exactly the parser's (OR binds tighter than the implicit AND) on both backends.
    """
    groups = [_any(group) for group in query.groups]
    required = " && ".join(sql for sql, _ in groups)
    required_params = [p for _, ps in groups for p in ps]
    if not query.excluded:
        return required, required_params, required, required_params
    excluded, excluded_params = _any(query.excluded)
    return (
        f"({required}) && !!{excluded}",
        [*required_params, *excluded_params],
        required,
        required_params,
    )


class PostgresBackend:
    """Full-text search with PostgreSQL's tsvector, GIN, ts_rank_cd and ts_headline."""

    vendor = "postgresql"

    def _where(self, query: ParsedQuery) -> tuple[str, list[str]]:
        sql, params, required, required_params = tsquery(query)
        # A query of stop words only ("the") has no lexemes left: it matches nothing, rather
        # than its exclusions alone matching nearly everything (and reading every row).
        return (
            f"e.document @@ ({sql}) AND numnode({required}) > 0",
            [*params, *required_params],
        )

    def count(self, query: ParsedQuery, articles: QuerySet[Article]) -> int:
        sub, params = articles_sql(articles)
        where, where_params = self._where(query)
        sql = (
            f"SELECT count(*) FROM search_searchentry e JOIN ({sub}) AS a "  # noqa: S608
            f"ON a.id = e.article_id WHERE {where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, (*params, *where_params))
            return int(cursor.fetchone()[0])

    def ranked(
        self,
        query: ParsedQuery,
        articles: QuerySet[Article],
        *,
        order: str,
        offset: int,
        limit: int,
    ) -> tuple[list[int], int]:
        sub, params = articles_sql(articles)
        where, where_params = self._where(query)
        newest = "published_at DESC, id DESC"
        if order == NEWEST:
            rank, rank_params, order_by = "", [], newest
        else:
            q_sql, q_params, _, _ = tsquery(query)
            # Headline matches first (the A-weighted lexemes alone match), ts_rank_cd within, as
            # on SQLite: a long story named in its headline outranks a brief naming it once.
            rank = (
                f", ts_filter(e.document, '{{a}}') @@ ({q_sql}) AS in_headline"
                f", ts_rank_cd(e.document, {q_sql}, {RANK_NORMALIZATION}) AS rank"
            )
            rank_params = [*q_params, *q_params]
            order_by = f"in_headline DESC, rank DESC, {newest}"
        # Ranked in a subquery, so the window count (the total, in the same pass) holds small
        # rows rather than every match's document; OFFSET 0 keeps the planner from flattening it.
        sql = (
            "SELECT id, count(*) OVER () FROM ("  # noqa: S608
            f"SELECT e.article_id AS id, a.published_at AS published_at{rank} "
            f"FROM search_searchentry e JOIN ({sub}) AS a ON a.id = e.article_id WHERE {where} "
            f"OFFSET 0) AS m ORDER BY {order_by} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, (*rank_params, *params, *where_params, limit, offset))
            rows = cursor.fetchall()
        return [int(row[0]) for row in rows], int(rows[0][1]) if rows else 0

    def marked(self, query: ParsedQuery, ids: list[int]) -> dict[int, Marked]:
        if not ids:
            return {}
        q_sql, q_params, _, _ = tsquery(query)
        sql = (
            f"SELECT e.article_id, ts_headline('{CONFIG}', e.headline, q.query, %s), "  # noqa: S608
            f"ts_headline('{CONFIG}', e.dek, q.query, %s), "
            f"ts_headline('{CONFIG}', e.body, q.query, %s) "
            f"FROM search_searchentry e, (SELECT {q_sql} AS query) AS q "
            "WHERE e.article_id = ANY(%s)"
        )
        params: list[str | list[int]] = [
            _HEADLINE_OPTIONS,
            _HEADLINE_OPTIONS,
            _SNIPPET_OPTIONS,
            *q_params,
            list(ids),
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {
                int(pk): Marked(headline=h or "", dek=d or "", body=b or "")
                for pk, h, d, b in cursor.fetchall()
            }
