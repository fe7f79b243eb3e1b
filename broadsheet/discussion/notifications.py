"""Emails to a thread's subscribers when someone comments; no commenter's address is shown."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from broadsheet.discussion.models import Comment, Subscription
from broadsheet.discussion.security import unsubscribe_token

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def comment_notification_message(
    *, comment: Comment, subscription: Subscription
) -> EmailMultiAlternatives:
    """Build one subscriber's email about a new comment, with a one-click unsubscribe link."""
    unsubscribe_url = _absolute(
        reverse("discussion:unsubscribe", kwargs={"token": unsubscribe_token(subscription.pk)})
    )
    context = {
        "comment": comment,
        "thread": comment.thread,
        "author": comment.display_name,
        "comment_url": _absolute(comment.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
        "SITE_NAME": settings.SITE_NAME,
    }
    subject = f"New comment on “{comment.thread.title or settings.SITE_NAME}”"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("discussion/email/new_comment.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("discussion/email/new_comment.html", context), "text/html"
    )
    return message


def comment_notify_subscribers(*, comment_id: int) -> int:
    """Email every active subscriber of the comment's thread except its author; return the count."""
    comment = Comment.objects.select_related("thread", "user").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.APPROVED:
        return 0
    author_email = (comment.author_email or "").lower()
    subscriptions = Subscription.objects.filter(thread=comment.thread, is_active=True)
    if author_email:
        subscriptions = subscriptions.exclude(email__iexact=author_email)
    if comment.user_id:
        subscriptions = subscriptions.exclude(user_id=comment.user_id)
    messages = [
        comment_notification_message(comment=comment, subscription=subscription)
        for subscription in subscriptions.order_by("pk")
    ]
    if not messages:
        return 0
    with get_connection() as connection:
        sent = connection.send_messages(messages)
    logger.info("Sent %s notification(s) for comment %s", sent, comment.pk)
    return sent or 0
