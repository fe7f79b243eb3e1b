"""Emails to a thread's subscribers when someone comments; no commenter's address is shown."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from broadsheet.discussion.models import Comment, Subscription
from broadsheet.discussion.security import unsubscribe_token

logger = logging.getLogger(__name__)

CONFIRM_SALT = "broadsheet.discussion.subscribe-confirm"
# How long a guest's confirmation link works.
CONFIRM_MAX_AGE_SECONDS = 7 * 24 * 3600


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


def subscription_confirm_token(subscription: Subscription) -> str:
    """Return the signed token in a guest's confirmation link, bound to id and address."""
    return signing.dumps([subscription.pk, subscription.email], salt=CONFIRM_SALT)


def subscription_for_confirm_token(token: str) -> Subscription | None:
    """Return the subscription a confirmation token names, or None if forged or expired."""
    try:
        pk, email = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE_SECONDS)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(pk, int):
        return None
    return Subscription.objects.select_related("thread").filter(pk=pk, email=email).first()


def subscription_confirm_message(*, subscription: Subscription) -> EmailMultiAlternatives:
    """Build the email asking a guest to confirm they want notifications for a thread."""
    confirm_url = _absolute(
        reverse(
            "discussion:subscribe_confirm",
            kwargs={"token": subscription_confirm_token(subscription)},
        )
    )
    context = {
        "thread": subscription.thread,
        "confirm_url": confirm_url,
        "days": CONFIRM_MAX_AGE_SECONDS // 86400,
        "SITE_NAME": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm comment notifications on {settings.SITE_NAME}",
        body=render_to_string("discussion/email/subscribe_confirm.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(
        render_to_string("discussion/email/subscribe_confirm.html", context), "text/html"
    )
    return message


def subscription_confirm_send(*, subscription_id: int) -> int:
    """Send a pending subscription its confirmation link; return how many were sent."""
    subscription = (
        Subscription.objects.select_related("thread")
        .filter(pk=subscription_id, is_active=False)
        .first()
    )
    if subscription is None:
        return 0
    return subscription_confirm_message(subscription=subscription).send() or 0
