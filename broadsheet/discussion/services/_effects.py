"""What happens after a comment is published: subscribers hear of it, once."""

from __future__ import annotations

from django.utils import timezone

from broadsheet.core.effects import after_commit
from broadsheet.discussion.models import Comment


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
    if claimed:
        after_commit(_subscribers_notify, comment_id=comment.pk)
