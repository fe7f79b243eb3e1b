"""Template tags for staff: the queue link with its count in the site header, thread links,
and the referee's weightiest words marked in a held comment."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from broadsheet.discussion import pages
from broadsheet.discussion.models import Thread
from broadsheet.discussion.permissions import can_moderate
from broadsheet.discussion.selectors import queue_pending_count

register = template.Library()


@register.inclusion_tag("discussion/queue/_nav_link.html", takes_context=True)
def moderation_link(context) -> dict:
    """Show moderators the queue and how many comments wait; nothing (and no query) for readers."""
    request = context.get("request")
    user = getattr(request, "user", None)
    # is_staff first: readers never pay for the permission lookup or the count.
    if user is None or not user.is_authenticated or not user.is_staff:
        return {"show": False}
    if not can_moderate(user):
        return {"show": False}
    return {"show": True, "waiting": queue_pending_count()}


@register.simple_tag(takes_context=True)
def thread_page_url(context, thread: Thread) -> str:
    """Where the thread is read, by the one embed-origin policy (pages.thread_page_url)."""
    request = context.get("request")
    origin = pages.request_origin_of(request) if request is not None else ""
    return pages.thread_page_url(thread, request_origin=origin)


def spans_clean(spans: object, text: str) -> list[tuple[int, int]]:
    """Return the usable (start, end) spans of `text`, in order, clipped to it.

    A span is two integers; it is clipped to the text and dropped when empty, when it is not
    a pair of integers, or when it overlaps one already kept (the earlier start wins).
    """
    if not isinstance(spans, list | tuple) or not isinstance(text, str):
        return []
    size = len(text)
    pairs: list[tuple[int, int]] = []
    for span in spans:
        if not isinstance(span, list | tuple) or len(span) != 2:
            continue
        start, end = span
        # bool is an int to Python, and never an offset.
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)):
            continue
        start, end = max(start, 0), min(end, size)
        if start < end:
            pairs.append((start, end))
    kept: list[tuple[int, int]] = []
    for start, end in sorted(pairs):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


# A constant, not input: the only markup the highlighter adds besides <mark>.
_BREAK = mark_safe("<br>\n")  # noqa: S308
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _text_html(text: str) -> SafeString:
    """Escape plain text and keep its line breaks as <br>."""
    return format_html_join(_BREAK, "{}", ((line,) for line in _LINE_BREAK.split(text)))


def _pieces(text: str, spans: Iterable[tuple[int, int]]) -> Iterable[tuple[SafeString]]:
    position = 0
    for start, end in spans:
        yield (_text_html(text[position:start]),)
        yield (format_html("<mark>{}</mark>", _text_html(text[start:end])),)
        position = end
    yield (_text_html(text[position:]),)


@register.filter
def highlight_spans(text: object, spans: object) -> SafeString:
    """Render plain `text` escaped, line breaks kept, with the valid `spans` in <mark>."""
    text = "" if text is None else str(text)
    # Every piece goes through format_html, which escapes it: nothing raw is marked safe.
    return format_html_join("", "{}", _pieces(text, spans_clean(spans, text)))


@register.filter
def has_spans(spans: object, text: object) -> bool:
    """Whether any of `spans` can be highlighted in `text`."""
    return bool(spans_clean(spans, "" if text is None else str(text)))
