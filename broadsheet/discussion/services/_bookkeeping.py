"""The tree and its counters: placing a comment, changing its status, keeping counts exact.

Every function here expects the caller to hold the thread's row lock (select_for_update), so
counters stay exact under concurrent posting.
"""

from __future__ import annotations

from typing import Any

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


def comment_insert(
    *, thread: Thread, parent: Comment | None, status: str, fields: dict[str, Any]
) -> Comment:
    """Place a comment in the tree and bump the counters it changes."""
    seq = thread.last_seq + 1
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
    approved = status == Comment.Status.APPROVED
    counted = 1 if approved else 0
    top_level = 1 if approved and parent is None else 0
    updated_at = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(
        last_seq=F("last_seq") + 1,
        version=F("version") + 1,
        updated_at=updated_at,
        comment_count=F("comment_count") + counted,
        top_level_count=F("top_level_count") + top_level,
    )
    if approved and parent is not None:
        Comment.objects.filter(thread=thread, path__in=tree.ancestor_paths(comment.path)).update(
            descendant_count=F("descendant_count") + 1
        )
    # The caller holds the row lock, so the copy can follow in Python: no read back.
    thread.last_seq = seq
    thread.version += 1
    thread.updated_at = updated_at
    thread.comment_count += counted
    thread.top_level_count += top_level
    return comment


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
