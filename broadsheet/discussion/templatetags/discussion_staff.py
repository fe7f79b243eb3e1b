"""Template tags for staff: the moderation queue link with its count in the site header."""

from __future__ import annotations

from django import template

from broadsheet.discussion.selectors import queue_pending_count
from broadsheet.discussion.services import MODERATE_PERMISSION

register = template.Library()


@register.inclusion_tag("discussion/queue/_nav_link.html", takes_context=True)
def moderation_link(context) -> dict:
    """Show moderators the queue and how many comments wait; nothing (and no query) for readers."""
    request = context.get("request")
    user = getattr(request, "user", None)
    # is_staff first: readers never pay for the permission lookup or the count.
    if user is None or not user.is_authenticated or not user.is_staff:
        return {"show": False}
    if not user.has_perm(MODERATE_PERMISSION):
        return {"show": False}
    return {"show": True, "waiting": queue_pending_count()}
