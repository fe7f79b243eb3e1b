"""System checks for the accounts' settings: the sign-in, registration and reset limits."""

from __future__ import annotations

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from broadsheet.accounts.ratelimit import ACTIONS, action_limit


@register()
def check_rate_limits(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Each ACCOUNT_RATE_* setting reads as "count/seconds"."""
    errors: list[CheckMessage] = []
    for action in ACTIONS:
        try:
            action_limit(action)
        except ImproperlyConfigured as exc:
            errors.append(Error(f"{exc}.", id="accounts.E001"))
    return errors
