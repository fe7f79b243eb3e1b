"""A thread as readers see it: pages of its tree, permalinks, visibility, counts."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from broadsheet.discussion.avatars import AVATAR_HASH_LENGTH, avatar_hash
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.querysets import visible_q
from broadsheet.discussion.selectors._paging import PageNavigation

SORTS = ("oldest", "newest", "replies")
SORT_LABELS = {"oldest": "Oldest first", "newest": "Newest first", "replies": "Most replies"}
DEFAULT_SORT = "oldest"
# Featured comments shown above a thread; moderators feature a handful, not dozens.
FEATURED_MAX = 5


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


# What readers see in place of a comment kept only for its approved replies.
PLACEHOLDERS: dict[str, str] = {
    Comment.Status.DELETED: "This comment was deleted.",
    Comment.Status.PENDING: "This comment is awaiting moderation.",
    Comment.Status.REJECTED: "This comment was removed.",
    Comment.Status.SPAM: "This comment was removed.",
}


@dataclass
class CommentNode:
    """One comment in the tree with its replies, as one reader sees it."""

    comment: Comment
    children: list[CommentNode] = field(default_factory=list)
    is_own: bool = False
    can_edit: bool = False
    avatar_url: str = ""

    @property
    def is_tombstone(self) -> bool:
        """Deleted, shown only to keep its replies."""
        return self.comment.status == Comment.Status.DELETED

    @property
    def is_pending(self) -> bool:
        """Awaiting moderation, shown only to its author."""
        return self.comment.status == Comment.Status.PENDING

    @property
    def placeholder(self) -> str:
        """For a comment shown only to keep its replies: what readers see instead; else ''."""
        status = self.comment.status
        if status == Comment.Status.APPROVED or (status == Comment.Status.PENDING and self.is_own):
            return ""
        return PLACEHOLDERS.get(status, PLACEHOLDERS[Comment.Status.REJECTED])


@dataclass
class ThreadPage(PageNavigation):
    """One page of a thread: top-level comments in the chosen order, each with all replies."""

    thread: Thread
    sort: str
    number: int
    per_page: int
    num_pages: int
    top_level_count: int
    nodes: list[CommentNode]
    # Featured comments, shown first on the first page; filled by the same query as the tree.
    featured: list[Comment] = field(default_factory=list)

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
    # The key is unique: no ORDER BY to build, as first() would on every post.
    return next(iter(Thread.objects.filter(key=key).order_by()[:1]), None)


def page_number_clean(
    *, thread: Thread, viewer: Viewer, page: int | str | None, per_page: int
) -> tuple[int, int]:
    """Return (page number within range, number of pages) for a requested page, however odd."""
    listed = thread.top_level_count
    if viewer.own_ids or viewer.user_id:
        # The reader's own held comments take page slots only they see: one small count.
        own = Q(pk__in=viewer.own_ids)
        if viewer.user_id:
            own |= Q(user_id=viewer.user_id)
        listed += Comment.objects.filter(own, thread=thread, depth=0, status="pending").count()
    num_pages = max(1, math.ceil(listed / per_page))
    if isinstance(page, str):
        text = page.strip()
        # ASCII digits only, and short: "²" or a 5,000-digit number is no page number.
        number = int(text) if text.isascii() and text.isdecimal() and len(text) <= 9 else 1
    elif isinstance(page, int) and not isinstance(page, bool):
        number = page
    else:
        number = 1
    return min(max(number, 1), num_pages), num_pages


def thread_page(
    *,
    thread: Thread,
    viewer: Viewer | None = None,
    sort: str | None = DEFAULT_SORT,
    page: int | str | None = 1,
    per_page: int | None = None,
    now: datetime | None = None,
) -> ThreadPage:
    """Return one page of the thread's tree in a fixed number of queries, whatever its size."""
    viewer = viewer or ANONYMOUS
    sort = sort_clean(sort)
    per_page = per_page or settings.COMMENTS_PER_PAGE
    number, num_pages = page_number_clean(
        thread=thread, viewer=viewer, page=page, per_page=per_page
    )
    visible = visible_q(own_ids=viewer.own_ids, user_id=viewer.user_id)
    offset = (number - 1) * per_page
    # Query 1: this page's top-level comments, in the reader's order (the comment_roots index).
    roots = list(
        Comment.objects.filter(visible, thread=thread, depth=0)
        .select_related("user")
        .order_by(*_root_ordering(sort))[offset : offset + per_page]
    )
    root_ids = [c.pk for c in roots]
    # Query 2: all their replies, read along the (root, path) index. Nothing else rides along:
    # an OR with another condition makes the database scan the whole thread.
    rows: list[Comment] = list(roots)
    if root_ids:
        rows += Comment.objects.filter(visible, root_id__in=root_ids).select_related("user")
    rows.sort(key=lambda c: c.path)
    featured: list[Comment] = []
    if number == 1:
        # Query 3, first page only: the editors' picks, wherever they sit in the thread.
        featured = list(
            Comment.objects.filter(thread=thread, is_featured=True, status=Comment.Status.APPROVED)
            .select_related("user")
            .order_by(F("featured_at").desc(nulls_last=True), "-created_at", "-pk")[:FEATURED_MAX]
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
        featured=featured,
    )


def _avatar_url_maker():
    """Return a function giving a comment's avatar URL, resolving the route once per page."""
    if settings.GRAVATAR:
        return lambda comment: comment.avatar_url
    digest = "0" * AVATAR_HASH_LENGTH
    base = reverse("discussion:avatar", kwargs={"digest": digest})
    head, tail = base.split(digest, 1)
    return lambda c: f"{head}{avatar_hash(email=c.author_email, name=c.display_name)}{tail}"


def _tree(
    rows: Iterable[Comment], *, root_ids: list[int], viewer: Viewer, now: datetime
) -> list[CommentNode]:
    """Build the tree in one pass: rows come in path order, so every parent precedes its replies."""
    edit_window = settings.COMMENT_EDIT_MINUTES * 60
    avatar = _avatar_url_maker()
    by_id: dict[int, CommentNode] = {}
    on_page = set(root_ids)
    for comment in rows:
        if comment.pk not in on_page and comment.root_id not in on_page:
            continue  # a featured comment from another part of the thread
        own = viewer.owns(comment)
        node = CommentNode(
            comment=comment,
            is_own=own,
            can_edit=own
            and comment.status in (Comment.Status.APPROVED, Comment.Status.PENDING)
            and (now - comment.created_at).total_seconds() < edit_window,
            avatar_url=avatar(comment),
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
    """Return approved comment counts for many thread keys in one query (unknown, hidden: 0)."""
    keys = list(keys)
    found = dict(Thread.objects.visible().filter(key__in=keys).values_list("key", "comment_count"))
    return {key: found.get(key, 0) for key in keys}


def comment_counts_for_urls(urls: Iterable[str]) -> dict[str, int]:
    """Return approved comment counts for many page URLs in one query (unknown, hidden: 0)."""
    urls = list(urls)
    found: dict[str, int] = {}
    rows = Thread.objects.visible().filter(url__in=urls).values_list("url", "comment_count")
    for url, count in rows:
        found[url] = found.get(url, 0) + count
    return {url: found.get(url, 0) for url in urls}
