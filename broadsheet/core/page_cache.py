"""Whole pages kept for anonymous readers, with the validators that let caches in front keep them.

A page is *shared* when every reader without a session would get the same bytes: a GET or HEAD,
no session or messages cookie, only the query parameters the view lists, and nothing bound to
this request (a form sent back with its errors). Shared pages carry no CSRF token (scripts fetch
one when a reader starts to write; without script the first post asks to press again), no
`Vary: Cookie`, and no cookie; they answer 304 to a matching If-None-Match or If-Modified-Since,
and say `Cache-Control: public` so nginx or a CDN may hold them. The page's key is made of the
versions its view names (the article's, the thread's), so a change is a new key, never a purge.
Everyone else gets the page rendered for them, marked `private`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from broadsheet.core.release import release_token

PERSONAL_ATTR = "_page_is_personal"
SHARED_ATTR = "shared_page"
# The template context of a shared render: forms leave out {% csrf_token %} when it is set.
SHARED_CONTEXT = {"shared_page": True}
KEY_PREFIX = "page.v1"


def mark_personal(request: HttpRequest) -> None:
    """Say that this request's page is for this reader alone (e.g. it shows their bound form)."""
    setattr(request, PERSONAL_ATTR, True)


def is_shared(request: HttpRequest, params: Iterable[str] = ()) -> bool:
    """Whether every reader without a session would get the same page for this request."""
    return (
        request.method in ("GET", "HEAD")
        and not getattr(request, PERSONAL_ATTR, False)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and set(request.GET) <= set(params)
    )


def cache_control() -> str:
    """The Cache-Control of a shared page: browsers revalidate, shared caches keep it briefly.

    must-revalidate keeps browsers from showing a stale copy while they fetch (Chromium honours
    stale-while-revalidate too): a reader who just posted must see their comment. Shared caches
    take s-maxage and stale-while-revalidate (nginx reads both, and not must-revalidate).
    """
    return (
        f"public, max-age={settings.PAGE_CACHE_MAX_AGE}, must-revalidate, "
        f"s-maxage={settings.PAGE_CACHE_S_MAXAGE}, "
        f"stale-while-revalidate={settings.PAGE_CACHE_STALE_SECONDS}"
    )


def _validators(response: HttpResponse, etag: str, last_modified: datetime) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = cache_control()
    setattr(response, SHARED_ATTR, True)
    return response


def shared_page(
    request: HttpRequest,
    *,
    versions: Iterable[object],
    last_modified: datetime,
    render: Callable[[dict], HttpResponse],
    params: Iterable[str] = (),
) -> HttpResponse:
    """Answer with the shared page for these versions: 304, a kept copy, or a fresh render.

    `render(extra_context)` draws the page; for a shared page the extra context says so, and
    its forms leave the CSRF token out. Any other reader gets `render({})`, marked private.
    """
    if not settings.PAGE_CACHE_SECONDS or not is_shared(request, params):
        response = render({})
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-cache"
        return response
    digest = hashlib.sha256(
        repr(
            (release_token(), request.get_host(), request.get_full_path(), tuple(versions))
        ).encode()
    ).hexdigest()[:32]
    etag = f'"{digest}"'
    since = int(last_modified.timestamp())
    not_modified = get_conditional_response(request, etag=etag, last_modified=since)
    if not_modified is not None:
        return _validators(not_modified, etag, last_modified)
    key = f"{KEY_PREFIX}:{digest}"
    kept = cache.get(key)
    if kept is not None:
        content, content_type = kept
        return _validators(HttpResponse(content, content_type=content_type), etag, last_modified)
    response = render(dict(SHARED_CONTEXT))
    if response.status_code != 200 or response.cookies:
        # Something made this answer personal after all (a cookie set): never share it.
        response["Cache-Control"] = "private, no-cache"
        return response
    cache.set(key, (response.content, response["Content-Type"]), settings.PAGE_CACHE_SECONDS)
    return _validators(response, etag, last_modified)


class SharedPageMiddleware:
    """Drop `Vary: Cookie` from shared pages: the session was read, but held nothing.

    Sits above SessionMiddleware, which adds the Vary whenever a view looked at the session;
    a shared page was built for a request with no session cookie, so it is the same for all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, SHARED_ATTR, False) and response.cookies:
            # A middleware set a cookie after all: no cache in front may keep this answer.
            response["Cache-Control"] = "private, no-cache"
            return response
        if getattr(response, SHARED_ATTR, False) and response.has_header("Vary"):
            kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "cookie"]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
