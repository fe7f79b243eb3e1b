"""Template tags for staff: the queue link with its count in the site header, thread links."""

from __future__ import annotations

from django import template

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
