"""What happens after a comment is published: subscribers hear of it, once."""

from __future__ import annotations

from django.utils import timezone

from broadsheet.core.effects import after_commit
from broadsheet.discussion.models import Comment, Subscription


def _subscribers_notify(*, comment_id: int) -> None:
    from broadsheet.discussion.tasks import comment_notify_task

    comment_notify_task.enqueue(comment_id=comment_id)


def _subscribers_notify_if_any(
    *, comment_id: int, thread_id: int, email: str, user_id: int | None
) -> None:
    # Most threads have no one to tell: a read here saves a task row and a worker's wake-up
    # on every post (the task excludes the author the same way).
    if _anyone_to_tell(thread_id=thread_id, email=email, user_id=user_id):
        _subscribers_notify(comment_id=comment_id)


def _notify_after_commit(comment: Comment) -> None:
    after_commit(
        _subscribers_notify_if_any,
        comment_id=comment.pk,
        thread_id=comment.thread_id,
        email=comment.author_email,
        user_id=comment.user_id,
    )


def subscribers_notify_once(comment: Comment) -> None:
    """Queue the subscribers' email for a published comment, unless they already had one."""
    if comment.status != Comment.Status.APPROVED:
        return
    # Claimed in the caller's transaction: subscribers hear of a comment once, whatever happens
    # to it later (held by reports and approved again, rejected then approved).
    claimed = Comment.objects.filter(pk=comment.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if claimed:
        _notify_after_commit(comment)


def subscribers_notify_new(comment: Comment) -> None:
    """After commit, queue the subscribers' email for a comment stored already claimed.

    A new comment published at once carries notified_at from its INSERT, so the claim costs no
    statement, and the look for subscribers runs after the thread's write lock is released.
    """
    if comment.status == Comment.Status.APPROVED and comment.notified_at is not None:
        _notify_after_commit(comment)


def _anyone_to_tell(*, thread_id: int, email: str, user_id: int | None) -> bool:
    # The author owns at most two of a thread's subscriptions (one by email, one by account),
    # so three rows are enough to know; comparing here keeps the query to two plain filters.
    rows = Subscription.objects.filter(thread_id=thread_id, is_active=True).values_list(
        "email", "user_id"
    )[:3]
    author = email.strip().lower()
    return any(
        not ((author and row_email.lower() == author) or (user_id and row_user == user_id))
        for row_email, row_user in rows
    )
