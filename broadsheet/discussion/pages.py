"""Pages that carry a discussion: page URLs, the embed-origin policy, threads found by page.

The one place that decides which origins may embed this site's discussions or call its API,
and which stored page addresses readers may be sent to: the HTML views, the staff queue, the
JSON API and its CORS answers all ask here.

A page on another site is identified by its normalized URL: scheme and host lower-cased, default
port, fragment and tracking parameters dropped. Its thread key is derived from that URL, so every
embed of the same page meets the same thread. A thread for an external page is created on its
first comment, and only when the page's origin is one of settings.COMMENT_EMBED_ORIGINS. Pages of
this site are stored with their path (as newsroom stores article threads), so an absolute URL on
the site's own origin is looked up by its path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from broadsheet.discussion import selectors, services
from broadsheet.discussion.models import Thread
from broadsheet.discussion.selectors import ThreadPage, Viewer

if TYPE_CHECKING:
    from broadsheet.accounts.models import User

URL_KEY_PREFIX = "url:"
KEY_MAX = 255
URL_MAX = 500
# Parameters that name a campaign, not a page: two links that differ only here are one page.
TRACKING_PARAMS = {"fbclid", "gclid", "mc_cid", "mc_eid", "ref", "ref_src"}
DEFAULT_PORTS = {"http": 80, "https": 443}


class UnknownThread(LookupError):
    """No thread has this key or URL, and none may be created for it."""


# The embed-origin policy ---------------------------------------------------------------------


def origin_normalize(origin: str) -> str:
    """Return scheme://host[:port] in lower case without a default port, or '' when malformed."""
    try:
        parts = urlsplit((origin or "").strip())
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        return ""
    if ":" in host:
        host = f"[{host}]"
    if port and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


def request_origin_of(request: HttpRequest) -> str:
    """The origin a request was addressed to (this site, as the reader's browser sees it)."""
    return f"{request.scheme}://{request.get_host()}"


def embed_origins() -> set[str]:
    """Origins of other sites allowed to embed threads (settings.COMMENT_EMBED_ORIGINS)."""
    found = {origin_normalize(origin) for origin in settings.COMMENT_EMBED_ORIGINS}
    found.discard("")
    return found


def own_origins(request_origin: str = "") -> set[str]:
    """This site's origins: SITE_URL's and the one the request came in on."""
    found = {origin_normalize(settings.SITE_URL), origin_normalize(request_origin)}
    found.discard("")
    return found


def origin_may_embed(origin: str) -> bool:
    """Whether a page on this origin is another site allowed to embed our discussions."""
    normal = origin_normalize(origin)
    return bool(normal) and normal in embed_origins()


def origin_may_call(origin: str, *, request_origin: str = "") -> bool:
    """Whether a page on this origin may use the API from a browser: this site or an embedder."""
    normal = origin_normalize(origin)
    return bool(normal) and normal in own_origins(request_origin) | embed_origins()


def page_url_allowed(url: str, *, request_origin: str = "") -> bool:
    """Whether readers may be sent to a stored page address: a path here, or an allowed origin."""
    if not url:
        return False
    if url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return True  # a path on this site (never "//host" or "/\\host")
    if not origin_may_call(url, request_origin=request_origin):
        return False
    # The origin is ours or an embedder's; Django still refuses control characters and the like.
    return url_has_allowed_host_and_scheme(url, allowed_hosts={urlsplit(url).netloc})


def thread_page_url(thread: Thread, *, request_origin: str = "") -> str:
    """Where the thread is read: its page here, an allowed embedding page, or its own page."""
    url = thread.url
    if page_url_allowed(url, request_origin=request_origin):
        return url.split("#", 1)[0].split("?", 1)[0]
    return reverse("discussion:thread", kwargs={"thread_id": thread.pk})


# Pages named by URL --------------------------------------------------------------------------


@dataclass(frozen=True)
class PageRef:
    """A page named by URL: where its thread is stored, and whether it may be created."""

    url: str
    key: str = ""
    is_own: bool = False
    may_create: bool = False


def page_url_normalize(raw: str) -> str:
    """Return the canonical form of an absolute http(s) URL, or raise ValueError."""
    raw = (raw or "").strip()
    try:
        parts = urlsplit(raw)
    except ValueError as exc:
        raise ValueError("not a URL") from exc
    origin = origin_normalize(raw)
    if not origin:
        raise ValueError("not an absolute http or https URL")
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in TRACKING_PARAMS and not name.lower().startswith("utm_")
    ]
    scheme, netloc = origin.split("://", 1)
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def page_ref(raw: str, *, request_origin: str = "") -> PageRef:
    """Say where a page's thread lives; raise ValueError for a URL that names no page."""
    raw = (raw or "").strip()
    if raw.startswith("/") and not raw.startswith("//"):
        # A path on this site, as newsroom stores its article threads (queries are views of
        # the same page: ?page=2, ?sort=newest).
        return PageRef(url=urlsplit(raw).path, is_own=True)
    url = page_url_normalize(raw)
    origin = origin_normalize(url)
    if origin in own_origins(request_origin):
        return PageRef(url=urlsplit(url).path, is_own=True)
    return PageRef(url=url, key=url_thread_key(url), may_create=origin_may_embed(origin))


def url_thread_key(url: str) -> str:
    """Return the thread key of an external page (a digest when the URL is too long for a key)."""
    key = f"{URL_KEY_PREFIX}{url}"
    if len(key) <= KEY_MAX:
        return key
    return f"{URL_KEY_PREFIX}sha256:{hashlib.sha256(url.encode()).hexdigest()}"


def _visible_or_unknown(thread: Thread | None) -> Thread | None:
    """Answer for a hidden thread (its article is not live) exactly as for a missing page."""
    if thread is not None and not thread.is_visible:
        raise UnknownThread("No discussion exists for this page.")
    return thread


def _thread_for_ref(ref: PageRef) -> Thread | None:
    if ref.key:
        return selectors.thread_for_key(ref.key)
    return Thread.objects.filter(url=ref.url).order_by("pk").first()


def thread_find(*, key: str = "", url: str = "", request_origin: str = "") -> Thread | None:
    """Return the thread named by key or page URL, or None when it does not exist yet."""
    if key:
        return selectors.thread_for_key(key)
    try:
        ref = page_ref(url, request_origin=request_origin)
    except ValueError:
        return None
    return _thread_for_ref(ref)


def page_ref_or_errors(*, key: str, url: str, request_origin: str) -> PageRef | None:
    """Check that exactly one of key and url names a page; raise ValidationError by field."""
    key, url = (key or "").strip(), (url or "").strip()
    if key and url:
        raise ValidationError({"key": ["Give the thread's key or its page URL, not both."]})
    if not key and not url:
        raise ValidationError({"url": ["Give the page URL (or the thread's key)."]})
    if key:
        return None
    try:
        return page_ref(url, request_origin=request_origin)
    except ValueError:
        raise ValidationError(
            {"url": ["Give the page's full address, like https://example.com/story/."]}
        ) from None


# Threads read and written by page ------------------------------------------------------------


@dataclass
class EmptyThread:
    """A page whose thread does not exist yet: no comments, open if its origin may embed."""

    key: str
    url: str
    title: str
    is_open: bool
    comment_count: int = 0
    top_level_count: int = 0


def thread_page_read(
    *,
    key: str = "",
    url: str = "",
    request_origin: str = "",
    viewer: Viewer | None = None,
    sort: str | None = None,
    page: int | None = 1,
) -> ThreadPage | EmptyThread:
    """Return one page of the thread named by key or URL; an EmptyThread for a new page."""
    thread = thread_for_read(key=key, url=url, request_origin=request_origin)
    if isinstance(thread, EmptyThread):
        return thread
    return selectors.thread_page(thread=thread, viewer=viewer, sort=sort, page=page)


def thread_for_read(
    *, key: str = "", url: str = "", request_origin: str = ""
) -> Thread | EmptyThread:
    """The visible thread named by key or URL; an EmptyThread for a page that may have one."""
    ref = page_ref_or_errors(key=key, url=url, request_origin=request_origin)
    thread = selectors.thread_for_key(key.strip()) if ref is None else _thread_for_ref(ref)
    thread = _visible_or_unknown(thread)
    if thread is None:
        if ref is None or not ref.may_create:
            raise UnknownThread("No discussion exists for this page.")
        return EmptyThread(key=ref.key, url=ref.url, title="", is_open=True)
    return thread


def page_comment_post(
    *,
    key: str = "",
    url: str = "",
    title: str = "",
    request_origin: str = "",
    user: User | None = None,
    **fields: Any,
) -> services.CommentPosted:
    """Post to the thread named by key or URL, creating an allowed page's thread in the same go.

    Runs in one transaction: a comment refused for its content leaves no empty thread behind.
    """
    ref = page_ref_or_errors(key=key, url=url, request_origin=request_origin)
    thread = selectors.thread_for_key(key.strip()) if ref is None else _thread_for_ref(ref)
    thread = _visible_or_unknown(thread)
    if thread is not None:
        return services.comment_post(thread=thread, user=user, **fields)
    if ref is None or not ref.may_create:
        raise UnknownThread("No discussion exists for this page.")
    with transaction.atomic():
        thread = services.thread_get_or_create(
            key=ref.key, url=ref.url, title=" ".join((title or "").split())[:300]
        )
        return services.comment_post(thread=thread, user=user, **fields)


def counts_for(
    *, keys: Iterable[str] = (), urls: Iterable[str] = (), request_origin: str = ""
) -> tuple[dict[str, int], dict[str, int]]:
    """Return approved comment counts for many keys and page URLs, in at most two queries."""
    keys = [key for key in dict.fromkeys(keys) if key]
    by_key = selectors.comment_counts_for_keys(keys) if keys else {}
    wanted: dict[str, PageRef | None] = {}
    for raw in dict.fromkeys(urls):
        try:
            wanted[raw] = page_ref(raw, request_origin=request_origin)
        except ValueError:
            wanted[raw] = None
    refs = [ref for ref in wanted.values() if ref is not None]
    # External pages are stored under their key; this site's pages under their path.
    lookup_keys = [ref.key for ref in refs if ref.key]
    lookup_urls = [ref.url for ref in refs if not ref.key]
    found_keys: dict[str, int] = {}
    found_urls: dict[str, int] = {}
    if lookup_keys or lookup_urls:
        found_keys, found_urls = _counts_by_key_or_url(lookup_keys, lookup_urls)
    by_url = {
        raw: 0
        if ref is None
        else (found_keys if ref.key else found_urls).get(ref.key or ref.url, 0)
        for raw, ref in wanted.items()
    }
    return by_key, by_url


def _counts_by_key_or_url(
    keys: list[str], urls: list[str]
) -> tuple[dict[str, int], dict[str, int]]:
    rows = (
        Thread.objects.visible()
        .filter(Q(key__in=keys) | Q(url__in=urls))
        .values_list("key", "url", "comment_count")
    )
    wanted_keys, wanted_urls = set(keys), set(urls)
    by_key: dict[str, int] = {}
    by_url: dict[str, int] = {}
    for key, url, count in rows:
        if key in wanted_keys:
            by_key[key] = count
        if url in wanted_urls:
            by_url[url] = by_url.get(url, 0) + count
    return by_key, by_url
