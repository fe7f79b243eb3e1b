"""The moderators' queue: tabs, counts, and each held comment with its context and history."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower

from broadsheet.discussion.models import Comment, CommentFlag
from broadsheet.discussion.selectors._paging import PageNavigation

QUEUE_TABS = {
    "pending": "Pending",
    "reported": "Reported",
    "rejected": "Rejected/Spam",
    "imported": "Review imported",
    "all": "All",
}
DEFAULT_QUEUE_TAB = "pending"
QUEUE_PER_PAGE = 25
# A moderator's search words are cut here: enough for a phrase, a name or a headline.
QUEUE_SEARCH_MAX = 100
_HELD = (Comment.Status.APPROVED, Comment.Status.PENDING)
_REFUSED = (Comment.Status.REJECTED, Comment.Status.SPAM)


def queue_tab_q(tab: str) -> Q:
    """Match the comments listed under one tab of the staff queue."""
    if tab == "pending":
        # Held by the referee; comments held by readers' reports wait under Reported.
        return Q(status=Comment.Status.PENDING, report_count=0)
    if tab == "reported":
        return Q(report_count__gt=0, status__in=_HELD)
    if tab == "rejected":
        return Q(status__in=_REFUSED)
    if tab == "imported":
        # Kept with their old site's status although the referee would hold or reject them.
        return Q(review_imported=True)
    return Q()


_QUEUE_ORDER = {
    "pending": ("created_at", "pk"),
    "reported": ("-report_count", "created_at", "pk"),
    "rejected": ("-created_at", "-pk"),
    "imported": ("created_at", "pk"),
    "all": ("-created_at", "-pk"),
}


@dataclass(frozen=True)
class QueueSearch:
    """What a moderator looks for: words in the comment, its author's name, its page's title."""

    text: str = ""
    author: str = ""
    article: str = ""

    @classmethod
    def from_params(cls, params) -> QueueSearch:
        """Read `q`, `author` and `article` from a query dict, each cleaned and bounded."""
        return cls(
            text=_search_clean(params.get("q")),
            author=_search_clean(params.get("author")),
            article=_search_clean(params.get("article")),
        )

    @property
    def active(self) -> bool:
        """Whether anything is searched for."""
        return bool(self.text or self.author or self.article)

    @property
    def params(self) -> dict[str, str]:
        """The non-empty fields as URL parameters, for links that keep the search."""
        pairs = {"q": self.text, "author": self.author, "article": self.article}
        return {key: value for key, value in pairs.items() if value}

    def q(self) -> Q:
        """Match the comments this search finds (a plain, case-insensitive database filter)."""
        match = Q()
        if self.text:
            match &= Q(body__icontains=self.text)
        if self.author:
            match &= (
                Q(author_name__icontains=self.author)
                | Q(author_name="", user__display_name__icontains=self.author)
                | Q(author_name="", user__username__icontains=self.author)
            )
        if self.article:
            match &= Q(thread__title__icontains=self.article)
        return match


def _search_clean(value: object) -> str:
    # Control characters (NUL included, which PostgreSQL refuses in text) become spaces.
    text = "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in str(value or ""))
    return " ".join(text.split())[:QUEUE_SEARCH_MAX]


def queue_counts(search: QueueSearch | None = None) -> dict[str, int]:
    """Return how many comments each queue tab lists (those `search` finds), in one query."""
    rows = Comment.objects.all()
    if search is not None and search.active:
        rows = rows.filter(search.q())
    return rows.aggregate(
        **{tab: Count("pk", filter=queue_tab_q(tab)) for tab in QUEUE_TABS if tab != "all"},
        all=Count("pk"),
    )


def queue_pending_count() -> int:
    """Return how many comments wait for a moderator (held or reported), in one query."""
    return Comment.objects.filter(queue_tab_q("pending") | queue_tab_q("reported")).count()


@dataclass
class QueueItem:
    """One comment in the staff queue with what a moderator needs to decide on it."""

    comment: Comment
    reports: list[CommentFlag]
    approved_count: int
    rejected_count: int

    @property
    def reasons(self) -> list[dict]:
        """The referee's reasons that held or refused it (allowing ones say nothing new)."""
        reasons = (self.comment.verdict or {}).get("reasons") or []
        return [r for r in reasons if isinstance(r, dict) and r.get("decision") != "allow"]

    @property
    def scores(self) -> list[tuple[str, float]]:
        """The referee's scores, highest first, rounded for reading."""
        scores = (self.comment.verdict or {}).get("scores") or {}
        pairs = [
            (str(k), round(float(v), 2)) for k, v in scores.items() if isinstance(v, int | float)
        ]
        return sorted(pairs, key=lambda kv: -kv[1])

    @property
    def report_reasons(self) -> list[tuple[str, int]]:
        """Each report reason with how many readers gave it."""
        counts: dict[str, int] = {}
        for flag in self.reports:
            label = flag.get_reason_display()
            counts[label] = counts.get(label, 0) + 1
        return sorted(counts.items(), key=lambda kv: -kv[1])


@dataclass
class QueuePage(PageNavigation):
    """One page of one queue tab, with every tab's count for the navigation."""

    tab: str
    counts: dict[str, int]
    items: list[QueueItem]
    number: int
    num_pages: int
    search: QueueSearch = QueueSearch()

    @property
    def total(self) -> int:
        """How many comments the current tab lists (those the search finds, if any)."""
        return self.counts[self.tab]

    @property
    def tabs(self) -> list[tuple[str, str, int, bool]]:
        """Every tab as (key, label, count, is_current)."""
        return [(k, label, self.counts[k], k == self.tab) for k, label in QUEUE_TABS.items()]


def queue_tab_clean(tab: str | None) -> str:
    """Return a known queue tab, falling back to Pending."""
    return tab if tab in QUEUE_TABS else DEFAULT_QUEUE_TAB


def moderation_queue(
    *,
    tab: str | None = DEFAULT_QUEUE_TAB,
    page: int | str | None = 1,
    per_page: int = 0,
    search: QueueSearch | None = None,
) -> QueuePage:
    """Return one page of a queue tab in at most five queries, whatever the queue's size.

    With a `search`, the tab lists (and every tab counts) only the comments it finds.
    """
    tab = queue_tab_clean(tab)
    per_page = per_page or QUEUE_PER_PAGE
    search = search or QueueSearch()
    counts = queue_counts(search)  # query 1
    num_pages = max(1, math.ceil(counts[tab] / per_page))
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), num_pages)
    offset = (number - 1) * per_page
    open_reports = Prefetch(
        "flags",
        queryset=CommentFlag.objects.filter(resolved_at__isnull=True).order_by("created_at"),
        to_attr="open_reports",
    )
    # Query 2 (and 3, the open reports, only when the page has comments).
    comments = list(
        Comment.objects.filter(queue_tab_q(tab), search.q())
        .select_related("thread", "user", "parent__user")
        .prefetch_related(open_reports)
        .order_by(*_QUEUE_ORDER[tab])[offset : offset + per_page]
    )
    history = _author_histories(comments)  # queries 4 and 5, at most
    items = [
        QueueItem(
            comment=c,
            reports=c.open_reports,  # type: ignore[attr-defined]
            approved_count=history.get(_identity(c), (0, 0))[0],
            rejected_count=history.get(_identity(c), (0, 0))[1],
        )
        for c in comments
    ]
    return QueuePage(
        tab=tab, counts=counts, items=items, number=number, num_pages=num_pages, search=search
    )


def _identity(comment: Comment) -> tuple[str, object]:
    if comment.user_id is not None:
        return ("user", comment.user_id)
    return ("email", comment.author_email.lower())


def _author_histories(comments: Sequence[Comment]) -> dict[tuple[str, object], tuple[int, int]]:
    """Approved and rejected counts per author identity on the page: one query per kind."""
    approved = Count("pk", filter=Q(status=Comment.Status.APPROVED))
    rejected = Count("pk", filter=Q(status__in=_REFUSED))
    found: dict[tuple[str, object], tuple[int, int]] = {}
    user_ids = {c.user_id for c in comments if c.user_id is not None}
    if user_ids:
        rows = (
            Comment.objects.filter(user_id__in=user_ids)
            .values("user_id")
            .annotate(a=approved, r=rejected)
            .order_by()
        )
        found.update({("user", row["user_id"]): (row["a"], row["r"]) for row in rows})
    emails = {c.author_email.lower() for c in comments if c.user_id is None and c.author_email}
    if emails:
        email_rows = (
            Comment.objects.filter(user__isnull=True)
            .annotate(email=Lower("author_email"))
            .filter(email__in=emails)
            .values("email")
            .annotate(a=approved, r=rejected)
            .order_by()
        )
        found.update({("email", row["email"]): (row["a"], row["r"]) for row in email_rows})
    return found
