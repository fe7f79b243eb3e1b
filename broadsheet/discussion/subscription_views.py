"""HTTP for confirming a guest's comment notifications (the link in the confirmation email)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from broadsheet.discussion import services
from broadsheet.discussion.notifications import subscription_for_confirm_token


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
