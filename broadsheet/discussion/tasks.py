"""Background tasks: thin wrappers that load by id and call a service."""

from django_tasks import task


@task()
def comment_notify_task(comment_id: int) -> int:
    """Email the thread's subscribers about a new comment; return how many were sent."""
    from broadsheet.discussion.notifications import comment_notify_subscribers

    return comment_notify_subscribers(comment_id=comment_id)


@task()
def subscription_confirm_task(subscription_id: int) -> int:
    """Email a guest the link that confirms their subscription; return how many were sent."""
    from broadsheet.discussion.notifications import subscription_confirm_send

    return subscription_confirm_send(subscription_id=subscription_id)
