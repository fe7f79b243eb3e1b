"""Rendered comment HTML kept for anonymous readers, never outliving a release or a change.

The key holds the thread's version, bumped by every change, so nothing is purged; the timeout
only bounds names and badges gone stale. The release token makes a new release or a template
edit miss every old entry.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from broadsheet.discussion.models import Thread

THREAD_HTML_CACHE_SECONDS = 300
# The templates whose HTML the cache keeps: any change to them must miss the old entries.
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates" / "discussion"
RENDERER = Path(__file__).resolve().parent / "comment_html.py"


def release_token(templates_dir: Path = TEMPLATES_DIR) -> str:
    """A short hash of the package version and the newest template's (or renderer's) mtime."""
    try:
        version = importlib.metadata.version("broadsheet")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    # A few dozen stat calls, made once per process (see deploy_token). The comment tree's
    # markup is built in Python (comment_html.py): its source counts as a template.
    files = [f for f in templates_dir.rglob("*") if f.is_file()] + [RENDERER]
    newest = max((f.stat().st_mtime_ns for f in files), default=0)
    return hashlib.sha256(f"{version}:{newest}".encode()).hexdigest()[:12]


@functools.cache
def deploy_token() -> str:
    """This process's release token: a new release or template edit never reads stale HTML."""
    return release_token()


def thread_html_key(*, thread: Thread, sort: str, number: int, is_open: bool) -> str:
    """Where one page of a thread's rendered comments is kept, for readers who see the same."""
    return ":".join(
        str(part)
        for part in (
            "discussion.thread-html.v1",
            deploy_token(),
            thread.pk,
            int(thread.created_at.timestamp() * 1_000_000),
            thread.version,
            sort,
            number,
            int(is_open),
            settings.COMMENTS_PER_PAGE,
            int(bool(settings.GRAVATAR)),
        )
    )


def thread_html(key: str | None, render: Callable[[], str]) -> SafeString:
    """Return the HTML kept under key, else render it (and keep it, when there is a key)."""
    if key is not None:
        html = cache.get(key)
        if html is not None:
            return mark_safe(html)  # noqa: S308 - our own rendered, autoescaped template
    html = render()
    if key is not None:
        cache.set(key, str(html), THREAD_HTML_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own rendered, autoescaped template
