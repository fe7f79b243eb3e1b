"""Follow-up emails: who is subscribed to a thread, confirmed, or no longer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from broadsheet.core.effects import after_commit
from broadsheet.discussion.models import Subscription, Thread

if TYPE_CHECKING:
    from broadsheet.accounts.models import User


def _confirmation_send(*, subscription_id: int) -> None:
    from broadsheet.discussion.tasks import subscription_confirm_task

    subscription_confirm_task.enqueue(subscription_id=subscription_id)


def subscription_request(*, thread: Thread, email: str, user: User | None) -> bool:
    """Subscribe an account's own address at once; a typed address only once it is confirmed.

    Returns whether a confirmation email is on its way.
    """
    if not email:
        return False
    email = email.lower()
    verified = user is not None and (user.email or "").lower() == email
    if verified:
        now = timezone.now()
        subscription, created = Subscription.objects.get_or_create(
            thread=thread,
            email=email,
            defaults={"user": user, "is_active": True, "confirmed_at": now},
        )
        if not created and not subscription.is_active:
            Subscription.objects.filter(pk=subscription.pk).update(
                is_active=True, confirmed_at=now, user=user
            )
        return False
    # Anyone can type any address: nothing is sent to it but one confirmation link.
    subscription, _created = Subscription.objects.get_or_create(
        thread=thread, email=email, defaults={"user": None, "is_active": False}
    )
    if subscription.is_active:
        return False
    after_commit(_confirmation_send, subscription_id=subscription.pk)
    return True


def subscription_confirm(*, subscription: Subscription) -> Subscription:
    """Start emailing a subscriber who followed the confirmation link sent to their address."""
    now = timezone.now()
    Subscription.objects.filter(pk=subscription.pk).update(is_active=True, confirmed_at=now)
    subscription.is_active, subscription.confirmed_at = True, now
    return subscription


def subscription_cancel(*, subscription: Subscription) -> Subscription:
    """Stop emailing this subscriber about the thread."""
    Subscription.objects.filter(pk=subscription.pk).update(is_active=False)
    subscription.is_active = False
    return subscription
