"""What a request refused by the CSRF check gets: a comment form to press again, or Django's page.

Shared article pages carry no CSRF token (core/page_cache.py). With script the form fetches one
before it is sent; without, the first post lands here and the reader gets the form back with
every word they typed and a token, one press away from publishing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE
from django.urls import reverse
from django.views.csrf import csrf_failure as django_csrf_failure

from broadsheet.discussion.views.comments import comment_post_confirm


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Answer a request the CSRF check refused."""
    # Only a token that is missing: a post from another site (a bad Origin or Referer, a wrong
    # token) is refused outright, never turned into a form for this reader to press.
    missing = reason in (REASON_NO_CSRF_COOKIE, REASON_CSRF_TOKEN_MISSING)
    if missing and request.path == reverse("discussion:post"):
        confirm = comment_post_confirm(request)
        if confirm is not None:
            return confirm
    return django_csrf_failure(request, reason=reason)
