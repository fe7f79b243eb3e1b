"""System checks for discussion's settings, so a mistake shows at `broadsheet check`."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from broadsheet.core.ratelimit import parse_limit

# Settings that must be whole numbers, with the smallest value that makes sense.
WHOLE_NUMBERS = {
    "COMMENT_MAX_DEPTH": 1,
    "COMMENT_MAX_LENGTH": 1,
    "COMMENT_EDIT_MINUTES": 0,
    "COMMENT_REPORTS_TO_HOLD": 1,
    "COMMENTS_PER_PAGE": 1,
}


@register()
def check_discussion_settings(app_configs=None, **kwargs) -> list[CheckMessage]:
    """The report limit reads as count/seconds; sizes and depths are whole numbers."""
    errors: list[CheckMessage] = []
    try:
        parse_limit("COMMENT_REPORT_RATE", settings.COMMENT_REPORT_RATE)
    except ImproperlyConfigured as exc:
        errors.append(Error(f"{exc}.", id="discussion.E001"))
    for name, least in WHOLE_NUMBERS.items():
        value = getattr(settings, name, None)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            errors.append(
                Error(
                    f"{name} must be a whole number of {least} or more, not {value!r}.",
                    id="discussion.E002",
                )
            )
    return errors
