"""CORS for the JSON API: answered for the allowed embedding origins only, never with credentials.

Which origins those are is pages.py's decision (the same policy the HTML views and the API's
write checks use).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver

from broadsheet.discussion.pages import origin_may_call, origin_may_embed, request_origin_of

ALLOW_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"
ALLOW_HEADERS = "Content-Type, X-Comment-Token"
EXPOSE_HEADERS = "Retry-After"
PREFLIGHT_MAX_AGE = "600"


def cors_origin(request: HttpRequest) -> str:
    """The Origin to echo back, when it is one of the embedding sites; '' otherwise."""
    origin = request.headers.get("Origin", "")
    return origin if origin and origin_may_embed(origin) else ""


def with_cors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer preflights and add CORS headers for allowed origins; never allow credentials."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        origin = cors_origin(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOW_METHODS
            if origin:
                response["Access-Control-Allow-Methods"] = ALLOW_METHODS
                response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
                response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
            elif request.headers.get("Origin") and not origin_may_call(
                request.headers["Origin"], request_origin=request_origin_of(request)
            ):
                response.status_code = 403
        else:
            response = view(request, *args, **kwargs)
        if origin:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
        # Answers differ by Origin, so shared caches must keep them apart.
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        if "Origin" not in vary:
            response["Vary"] = ", ".join([*vary, "Origin"])
        return response

    return wrapped


def cors_wrap(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """Wrap every URL pattern's view with CORS; return the patterns."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = with_cors(pattern.callback)
    return patterns
