"""Per-network limits on sign-in, registration and password-reset attempts, in core's limiter.

Counted through broadsheet.core.ratelimit, so a limit holds across every worker and app server
(the database store on the default SQLite set-up, Redis when configured), not per process.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from broadsheet.core import ratelimit
from broadsheet.core.network import client_ip, ip_hash

# Per action: the setting holding its "count/seconds" limit, and what the refusal says one is doing.
ACTIONS: dict[str, tuple[str, str]] = {
    "login": ("ACCOUNT_RATE_LOGIN", "trying to sign in"),
    "register": ("ACCOUNT_RATE_REGISTER", "creating accounts"),
    "reset": ("ACCOUNT_RATE_RESET", "asking for password resets"),
}


@dataclass(frozen=True)
class Limit:
    """Whether an action is blocked for this client, for how many more seconds, and what to say."""

    blocked: bool
    retry_after: int
    message: str


def action_limit(action: str) -> tuple[int, int]:
    """Return the action's (count, seconds) from its setting."""
    name, _ = ACTIONS[action]
    return ratelimit.parse_limit(name, getattr(settings, name))


def _scope(action: str, request: HttpRequest) -> str:
    # Keyed hash, digested again by the limiter: the raw address never reaches a counter.
    return f"account-{action}:{ratelimit.key_part(ip_hash(client_ip(request)))}"


def attempt_check(action: str, request: HttpRequest, *, now: float | None = None) -> Limit:
    """Look (without counting) whether this client has used up the action's window."""
    limit, window = action_limit(action)
    hit = ratelimit.hit(_scope(action, request), limit, window, count=False, now=now)
    _, doing = ACTIONS[action]
    message = (
        ratelimit.too_fast_message(doing=doing, retry_after=hit.retry_after) if hit.exceeded else ""
    )
    return Limit(blocked=hit.exceeded, retry_after=hit.retry_after, message=message)


def attempt_record(action: str, request: HttpRequest, *, now: float | None = None) -> None:
    """Count one attempt in the client's current window."""
    limit, window = action_limit(action)
    ratelimit.hit(_scope(action, request), limit, window, now=now)
