"""The tree and its counters: placing a comment, changing its status, keeping counts exact.

Every function here runs inside the caller's transaction, holding the thread's row lock (taken
by thread_claim, or a select_for_update before it), so counters stay exact under concurrent
posting.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connections, router
from django.db.models import F
from django.utils import timezone

from broadsheet.core.text import render_comment_markdown
from broadsheet.discussion import tree
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.querysets import listed_q

# The counters a service's caller may hold a stale copy of.
THREAD_COUNTERS = (
    "last_seq",
    "version",
    "updated_at",
    "comment_count",
    "top_level_count",
    "is_closed",
)


def thread_claim(
    thread: Thread,
    *,
    approved: bool,
    top_level: bool,
    visible_at: datetime | None = None,
    open_at: datetime | None = None,
) -> bool:
    """Take the thread's row lock, its next sequence number and the counts a new comment adds.

    One UPDATE ... RETURNING, where a SELECT FOR UPDATE and an UPDATE were two ORM statements
    on every post. With visible_at / open_at it claims only a thread that readers can see at
    the one time and that accepts comments at the other; False means it did not (nothing
    changed). The caller's Thread gets the new counters, and holds the lock until its
    transaction ends.
    """
    connection = connections[router.db_for_write(Thread)]
    q = connection.ops.quote_name
    adapt = connection.ops.adapt_datetimefield_value
    now = timezone.now()
    counted = 1 if approved else 0
    sql = (
        f"UPDATE {q(Thread._meta.db_table)} SET {q('last_seq')} = {q('last_seq')} + 1, "  # noqa: S608 - quoted constant names only
        f"{q('version')} = {q('version')} + 1, {q('updated_at')} = %s, "
        f"{q('comment_count')} = {q('comment_count')} + %s, "
        f"{q('top_level_count')} = {q('top_level_count')} + %s WHERE {q('id')} = %s"
    )
    params: list[Any] = [adapt(now), counted, counted if top_level else 0, thread.pk]
    if visible_at is not None:
        sql += f" AND {q('visible_from')} IS NOT NULL AND {q('visible_from')} <= %s"
        params.append(adapt(visible_at))
    if open_at is not None:
        sql += f" AND NOT {q('is_closed')} AND ({q('closes_at')} IS NULL OR {q('closes_at')} > %s)"
        params.append(adapt(open_at))
    sql += (
        f" RETURNING {q('last_seq')}, {q('version')}, {q('comment_count')}, {q('top_level_count')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    thread.last_seq, thread.version, thread.comment_count, thread.top_level_count = row
    thread.updated_at = now
    return True


def comment_place(
    *, thread: Thread, parent: Comment | None, status: str, fields: dict[str, Any]
) -> Comment:
    """Store a comment at the sequence number thread_claim just took for it."""
    seq = thread.last_seq
    comment = Comment(
        thread=thread,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        path=tree.child_path(parent.path if parent else "", seq),
        depth=(parent.depth + 1) if parent else 0,
        seq=seq,
        status=status,
        body_html=render_comment_markdown(fields["body"]),
        **fields,
    )
    comment.save(force_insert=True)
    if status == Comment.Status.APPROVED and parent is not None:
        Comment.objects.filter(thread=thread, path__in=tree.ancestor_paths(comment.path)).update(
            descendant_count=F("descendant_count") + 1
        )
    return comment


def comment_insert(
    *, thread: Thread, parent: Comment | None, status: str, fields: dict[str, Any]
) -> Comment:
    """Place a comment in the tree and bump the counters it changes (claim, then place)."""
    approved = status == Comment.Status.APPROVED
    thread_claim(thread, approved=approved, top_level=parent is None)
    return comment_place(thread=thread, parent=parent, status=status, fields=fields)


def status_set(comment: Comment, status: str) -> None:
    """Change a comment's status and recount what depends on it."""
    if comment.status == status:
        return
    comment.status = status
    comment.save(update_fields=["status", "body_html", "body", "edited_at"])
    ancestors = Comment.objects.filter(
        thread_id=comment.thread_id, path__in=tree.ancestor_paths(comment.path)
    )
    for ancestor in ancestors:
        count = Comment.objects.filter(
            thread_id=comment.thread_id,
            path__startswith=ancestor.path,
            status=Comment.Status.APPROVED,
        ).exclude(pk=ancestor.pk)
        Comment.objects.filter(pk=ancestor.pk).update(descendant_count=count.count())
    thread_counters_refresh(comment.thread)


def thread_counters_refresh(thread: Thread) -> None:
    """Recount a thread's stored counters from its comments and bump its version."""
    comments = Comment.objects.filter(thread=thread)
    Thread.objects.filter(pk=thread.pk).update(
        comment_count=comments.filter(status=Comment.Status.APPROVED).count(),
        top_level_count=comments.filter(listed_q(), depth=0).count(),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    thread.refresh_from_db()


def thread_version_bump(thread_id: int) -> None:
    """Mark a thread changed, so cached renderings keyed by its version are not used again."""
    Thread.objects.filter(pk=thread_id).update(version=F("version") + 1, updated_at=timezone.now())


def thread_copy_counters(stale: Thread, fresh: Thread) -> None:
    """Bring the caller's Thread object up to date with the locked copy's counters."""
    for name in THREAD_COUNTERS:
        setattr(stale, name, getattr(fresh, name))
