"""What happens after a comment is published: subscribers hear of it, once."""

from __future__ import annotations

from django.utils import timezone

from broadsheet.core.effects import after_commit
from broadsheet.discussion.models import Comment, Subscription


def _subscribers_notify(*, comment_id: int) -> None:
    from broadsheet.discussion.tasks import comment_notify_task

    comment_notify_task.enqueue(comment_id=comment_id)


def subscribers_notify_once(comment: Comment) -> None:
    """Queue the subscribers' email for a published comment, unless they already had one."""
    if comment.status != Comment.Status.APPROVED:
        return
    # Claimed in the caller's transaction: subscribers hear of a comment once, whatever happens
    # to it later (held by reports and approved again, rejected then approved).
    claimed = Comment.objects.filter(pk=comment.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    # Most threads have no one to tell: a read here saves a task row and a worker's wake-up
    # on every post (the task excludes the author the same way).
    if claimed and _anyone_to_tell(comment):
        after_commit(_subscribers_notify, comment_id=comment.pk)


def _anyone_to_tell(comment: Comment) -> bool:
    others = Subscription.objects.filter(thread_id=comment.thread_id, is_active=True)
    if comment.author_email:
        others = others.exclude(email__iexact=comment.author_email)
    if comment.user_id:
        others = others.exclude(user_id=comment.user_id)
    return others.exists()
