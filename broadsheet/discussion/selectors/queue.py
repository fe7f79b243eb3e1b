"""The moderators' queue: tabs, counts, and each held comment with its context and history."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, OrderBy, Prefetch, Q
from django.db.models.functions import Lower

from broadsheet.discussion.models import Comment, CommentFlag
from broadsheet.discussion.selectors._paging import PageNavigation
from broadsheet.moderation.verdicts import CATEGORY_LABELS

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


# What a hold or refusal is about (the verdict's top-level "category"), as the queue filters it.
QUEUE_CATEGORIES: dict[str, str] = {**CATEGORY_LABELS, "other": "Other"}

QUEUE_SORTS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "score": "Highest score first",
    "reports": "Most reported first",
}
_SORT_ORDER: dict[str, tuple[str | OrderBy, ...]] = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    # Verdicts without a score (allowed, or stored before scores were) come last.
    "score": (F("verdict__score").desc(nulls_last=True), "-created_at", "-pk"),
    "reports": ("-report_count", "created_at", "pk"),
}
# Each tab's order when the moderator picks none: the oldest wait first, refusals newest first.
_TAB_SORT = {
    "pending": "oldest",
    "reported": "reports",
    "rejected": "newest",
    "imported": "oldest",
    "all": "newest",
}


def queue_category_clean(category: object) -> str:
    """Return a known category, or "" (every category) for anything else."""
    return category if isinstance(category, str) and category in QUEUE_CATEGORIES else ""


def queue_category_q(category: str) -> Q:
    """Match the comments whose verdict names `category` ("" matches every comment)."""
    return Q(verdict__category=category) if category else Q()


def queue_sort_clean(sort: object, tab: str) -> str:
    """Return a known sort, or the tab's own order when `sort` is missing or unknown."""
    if isinstance(sort, str) and sort in QUEUE_SORTS:
        return sort
    return _TAB_SORT.get(tab, "newest")


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


def queue_counts(search: QueueSearch | None = None, category: str = "") -> dict[str, int]:
    """Return how many comments each queue tab lists (those `search` and `category` find)."""
    return _counts(search, category)[0]


def _counts(
    search: QueueSearch | None, category: str, tab: str | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """Every tab's count and, for `tab`, each category's count: one query for both."""
    rows = Comment.objects.all()
    if search is not None and search.active:
        rows = rows.filter(search.q())
    in_category = queue_category_q(category)
    aggregates = {f"tab_{key}": _count(queue_tab_q(key) & in_category) for key in QUEUE_TABS}
    if tab is not None:
        # The chips count the current tab and search in every category, whichever is chosen.
        aggregates.update(
            {
                f"cat_{key}": _count(queue_tab_q(tab) & queue_category_q(key))
                for key in ("", *QUEUE_CATEGORIES)
            }
        )
    found = rows.aggregate(**aggregates)
    tabs = {key: found[f"tab_{key}"] for key in QUEUE_TABS}
    categories = {key: found[f"cat_{key}"] for key in ("", *QUEUE_CATEGORIES) if tab is not None}
    return tabs, categories


def _count(match: Q) -> Count:
    return Count("pk", filter=match) if match else Count("pk")


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
    def _verdict(self) -> dict:
        verdict = self.comment.verdict
        return verdict if isinstance(verdict, dict) else {}

    @property
    def category(self) -> str:
        """The verdict's category key when it is one the queue knows, else ""."""
        return queue_category_clean(self._verdict.get("category"))

    @property
    def category_label(self) -> str:
        """The category in words ("Identity attack"), or "" for old or allowed verdicts."""
        return QUEUE_CATEGORIES.get(self.category, "")

    @property
    def score(self) -> float | None:
        """How sure the referee is of the category, 0..1, or None when it did not say."""
        value = self._verdict.get("score")
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return min(max(float(value), 0.0), 1.0) if math.isfinite(value) else None

    @property
    def spans(self) -> list:
        """The referee's spans as stored (raw: the highlighting filter checks every one)."""
        spans = self._verdict.get("spans")
        return spans if isinstance(spans, list) else []

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
    category: str = ""
    sort: str = ""
    category_counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """How many comments the current tab lists (those the search finds, if any)."""
        return self.counts[self.tab]

    @property
    def tabs(self) -> list[tuple[str, str, int, bool]]:
        """Every tab as (key, label, count, is_current)."""
        return [(k, label, self.counts[k], k == self.tab) for k, label in QUEUE_TABS.items()]

    @property
    def categories(self) -> list[tuple[str, str, int, bool]]:
        """The "All" chip then every category as (key, label, count in this tab, is_current)."""
        choices = {"": "All", **QUEUE_CATEGORIES}
        return [
            (key, label, self.category_counts.get(key, 0), key == self.category)
            for key, label in choices.items()
        ]

    @property
    def category_label(self) -> str:
        """The chosen category in words, or "" when every category is listed."""
        return QUEUE_CATEGORIES.get(self.category, "")

    @property
    def sorts(self) -> list[tuple[str, str, bool]]:
        """Every order as (key, label, is_current)."""
        return [(key, label, key == self.sort) for key, label in QUEUE_SORTS.items()]

    @property
    def is_default_sort(self) -> bool:
        """Whether the list is in its tab's own order (links then need no `sort`)."""
        return self.sort == _TAB_SORT.get(self.tab)

    @property
    def params(self) -> dict[str, str]:
        """The search, category and a chosen sort as URL parameters, for links that keep them."""
        params = dict(self.search.params)
        if self.category:
            params["category"] = self.category
        if not self.is_default_sort:
            params["sort"] = self.sort
        return params


def queue_tab_clean(tab: str | None) -> str:
    """Return a known queue tab, falling back to Pending."""
    return tab if tab in QUEUE_TABS else DEFAULT_QUEUE_TAB


def moderation_queue(
    *,
    tab: str | None = DEFAULT_QUEUE_TAB,
    page: int | str | None = 1,
    per_page: int = 0,
    search: QueueSearch | None = None,
    category: str | None = "",
    sort: str | None = "",
) -> QueuePage:
    """Return one page of a queue tab in at most five queries, whatever the queue's size.

    With a `search` or a `category`, the tab lists (and every tab counts) only the comments
    they find; the categories are counted in the current tab with the search. `sort` is
    newest, oldest, score (highest first) or reports; anything else keeps the tab's order.
    """
    tab = queue_tab_clean(tab)
    category = queue_category_clean(category)
    sort = queue_sort_clean(sort, tab)
    per_page = per_page or QUEUE_PER_PAGE
    search = search or QueueSearch()
    counts, category_counts = _counts(search, category, tab)  # query 1
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
        Comment.objects.filter(queue_tab_q(tab), search.q(), queue_category_q(category))
        .select_related("thread", "user", "parent__user")
        .prefetch_related(open_reports)
        .order_by(*_SORT_ORDER[sort])[offset : offset + per_page]
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
        tab=tab,
        counts=counts,
        items=items,
        number=number,
        num_pages=num_pages,
        search=search,
        category=category,
        sort=sort,
        category_counts=category_counts,
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
