"""Reads that need more than one filter: a thread's page of comments, permalink pages."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.querysets import visible_q

SORTS = ("oldest", "newest", "replies")
SORT_LABELS = {"oldest": "Oldest first", "newest": "Newest first", "replies": "Most replies"}
DEFAULT_SORT = "oldest"


@dataclass(frozen=True)
class Viewer:
    """Who is reading: a signed-in user and/or the comment ids this browser holds tokens for."""

    user_id: int | None = None
    own_ids: frozenset[int] = frozenset()
    is_moderator: bool = False

    def owns(self, comment: Comment) -> bool:
        """Whether this reader wrote the comment."""
        return comment.pk in self.own_ids or (
            self.user_id is not None and comment.user_id == self.user_id
        )


ANONYMOUS = Viewer()


@dataclass
class CommentNode:
    """One comment in the tree with its replies, as one reader sees it."""

    comment: Comment
    children: list[CommentNode] = field(default_factory=list)
    is_own: bool = False
    can_edit: bool = False

    @property
    def is_tombstone(self) -> bool:
        """Deleted, shown only to keep its replies."""
        return self.comment.status == Comment.Status.DELETED

    @property
    def is_pending(self) -> bool:
        """Awaiting moderation, shown only to its author."""
        return self.comment.status == Comment.Status.PENDING


@dataclass
class ThreadPage:
    """One page of a thread: top-level comments in the chosen order, each with all replies."""

    thread: Thread
    sort: str
    number: int
    per_page: int
    num_pages: int
    top_level_count: int
    nodes: list[CommentNode]

    @property
    def has_previous(self) -> bool:
        """Whether an earlier page exists."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether a later page exists."""
        return self.number < self.num_pages

    @property
    def page_numbers(self) -> range:
        """Every page number, for the pager."""
        return range(1, self.num_pages + 1)


def sort_clean(sort: str | None) -> str:
    """Return a known sort name, falling back to the default."""
    return sort if sort in SORTS else DEFAULT_SORT


def _root_ordering(sort: str) -> tuple[str, ...]:
    if sort == "newest":
        return ("-path",)
    if sort == "replies":
        return ("-descendant_count", "path")
    return ("path",)


def thread_for_key(key: str) -> Thread | None:
    """Return the thread with this key, or None."""
    return Thread.objects.filter(key=key).first()


def thread_page(
    *,
    thread: Thread,
    viewer: Viewer | None = None,
    sort: str | None = DEFAULT_SORT,
    page: int | str | None = 1,
    per_page: int | None = None,
    now: datetime | None = None,
) -> ThreadPage:
    """Return one page of the thread's tree in two queries, whatever the thread's size."""
    viewer = viewer or ANONYMOUS
    sort = sort_clean(sort)
    per_page = per_page or settings.COMMENTS_PER_PAGE
    listed = thread.top_level_count
    if viewer.own_ids or viewer.user_id:
        # The reader's own held comments take page slots only they see: one small count.
        own = Q(pk__in=viewer.own_ids)
        if viewer.user_id:
            own |= Q(user_id=viewer.user_id)
        listed += Comment.objects.filter(own, thread=thread, depth=0, status="pending").count()
    num_pages = max(1, math.ceil(listed / per_page))
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), num_pages)
    visible = visible_q(own_ids=viewer.own_ids, user_id=viewer.user_id)
    offset = (number - 1) * per_page
    # Query 1: this page's top-level comments, in the reader's order.
    root_ids = list(
        Comment.objects.filter(visible, thread=thread, depth=0)
        .order_by(*_root_ordering(sort))
        .values_list("pk", flat=True)[offset : offset + per_page]
    )
    # Query 2: those comments and all their replies, in tree order.
    rows: Iterable[Comment] = []
    if root_ids:
        rows = (
            Comment.objects.filter(visible, thread=thread)
            .filter(Q(pk__in=root_ids) | Q(root_id__in=root_ids))
            .select_related("user")
            .order_by("path")
        )
    nodes = _tree(rows, root_ids=root_ids, viewer=viewer, now=now or timezone.now())
    return ThreadPage(
        thread=thread,
        sort=sort,
        number=number,
        per_page=per_page,
        num_pages=num_pages,
        top_level_count=thread.top_level_count,
        nodes=nodes,
    )


def _tree(
    rows: Iterable[Comment], *, root_ids: list[int], viewer: Viewer, now: datetime
) -> list[CommentNode]:
    """Build the tree in one pass: rows come in path order, so every parent precedes its replies."""
    edit_window = settings.COMMENT_EDIT_MINUTES * 60
    by_id: dict[int, CommentNode] = {}
    for comment in rows:
        own = viewer.owns(comment)
        node = CommentNode(
            comment=comment,
            is_own=own,
            can_edit=own
            and comment.status in (Comment.Status.APPROVED, Comment.Status.PENDING)
            and (now - comment.created_at).total_seconds() < edit_window,
        )
        by_id[comment.pk] = node
        if comment.parent_id is not None:
            parent = by_id.get(comment.parent_id)
            # A reply whose parent is hidden from this reader is hidden with it.
            if parent is not None:
                parent.children.append(node)
            else:
                del by_id[comment.pk]
    return [by_id[pk] for pk in root_ids if pk in by_id]


def comment_page_number(
    *, comment: Comment, viewer: Viewer | None = None, sort: str | None = DEFAULT_SORT
) -> int:
    """Return the page of the thread (in the given order) that shows this comment."""
    viewer = viewer or ANONYMOUS
    sort = sort_clean(sort)
    per_page = settings.COMMENTS_PER_PAGE
    root: Comment = comment.root if comment.root is not None else comment
    roots = Comment.objects.filter(
        visible_q(own_ids=viewer.own_ids, user_id=viewer.user_id),
        thread_id=comment.thread_id,
        depth=0,
    )
    if sort == "newest":
        before = roots.filter(path__gt=root.path)
    elif sort == "replies":
        before = roots.filter(descendant_count__gt=root.descendant_count) | roots.filter(
            descendant_count=root.descendant_count, path__lt=root.path
        )
    else:
        before = roots.filter(path__lt=root.path)
    return before.count() // per_page + 1


def comment_is_visible(*, comment: Comment, viewer: Viewer | None = None) -> bool:
    """Whether this reader may see the comment (approved, a tombstone, or their own pending)."""
    viewer = viewer or ANONYMOUS
    if comment.status == Comment.Status.APPROVED:
        return True
    if comment.status == Comment.Status.DELETED:
        return comment.descendant_count > 0
    return comment.status == Comment.Status.PENDING and viewer.owns(comment)


def comment_counts_for_keys(keys: Iterable[str]) -> dict[str, int]:
    """Return approved comment counts for many thread keys in one query (unknown keys: 0)."""
    keys = list(keys)
    found = dict(Thread.objects.filter(key__in=keys).values_list("key", "comment_count"))
    return {key: found.get(key, 0) for key in keys}


def comment_counts_for_urls(urls: Iterable[str]) -> dict[str, int]:
    """Return approved comment counts for many page URLs in one query (unknown URLs: 0)."""
    urls = list(urls)
    found: dict[str, int] = {}
    for url, count in Thread.objects.filter(url__in=urls).values_list("url", "comment_count"):
        found[url] = found.get(url, 0) + count
    return {url: found.get(url, 0) for url in urls}
