"""HTTP for reply notifications: confirming a guest's address, and one-click unsubscribe."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from broadsheet.discussion import services
from broadsheet.discussion.models import Subscription
from broadsheet.discussion.notifications import subscription_for_confirm_token
from broadsheet.discussion.security import unsubscribe_token_subscription_id


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (mail scanners follow links); POST turns the emails on."""
    subscription = subscription_for_confirm_token(token)
    if subscription is None:
        return render(request, "discussion/subscribe_confirm.html", {"invalid": True}, status=404)
    if request.method == "POST" and not subscription.is_active:
        services.subscription_confirm(subscription=subscription)
    context = {
        "thread": subscription.thread,
        "done": subscription.is_active,
    }
    return render(request, "discussion/subscribe_confirm.html", context)


# One-click unsubscribe (RFC 8058) posts without a CSRF token; the signed token is the proof.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST stops the emails for this subscription."""
    subscription_id = unsubscribe_token_subscription_id(token)
    subscription = None
    if subscription_id is not None:
        subscription = (
            Subscription.objects.select_related("thread").filter(pk=subscription_id).first()
        )
    if subscription is None:
        return render(request, "discussion/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        services.subscription_cancel(subscription=subscription)
        done = True
    context = {
        "subscription": subscription,
        "thread": subscription.thread,
        "token": token,
        "done": done or not subscription.is_active,
    }
    return render(request, "discussion/unsubscribe.html", context)
