"""Per-IP fixed-window attempt counters for sign-in and registration, kept in the default cache."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from broadsheet.core.network import client_ip, ip_hash

# (limit, window seconds) per action: failed sign-ins, accounts created, reset emails asked for.
LIMITS: dict[str, tuple[int, int]] = {
    "login": (10, 600),
    "register": (5, 3600),
    "reset": (5, 3600),
}


def _key(action: str, request: HttpRequest, window: int, now: float) -> str:
    # Keyed hash: the raw address never reaches the cache.
    digest = ip_hash(client_ip(request))[:32]
    return f"accounts:rate:{action}:{digest}:{int(now // window)}"


@dataclass(frozen=True)
class Limit:
    """Whether an action is blocked for this client, and for how many more seconds."""

    blocked: bool
    retry_after: int

    @property
    def minutes(self) -> int:
        """Whole minutes to wait, rounded up, at least one."""
        return max(1, math.ceil(self.retry_after / 60))


def attempt_check(action: str, request: HttpRequest, *, now: float | None = None) -> Limit:
    """Look (without counting) whether this client has used up the action's window."""
    now = time.time() if now is None else now
    limit, window = LIMITS[action]
    used = int(cache.get(_key(action, request, window, now), 0))
    remaining = window - (now % window)
    return Limit(blocked=used >= limit, retry_after=max(1, math.ceil(remaining)))


def attempt_record(action: str, request: HttpRequest, *, now: float | None = None) -> None:
    """Count one attempt in the client's current window."""
    now = time.time() if now is None else now
    _, window = LIMITS[action]
    key = _key(action, request, window, now)
    # add() only creates the counter; incr() is atomic on shared caches such as Redis.
    cache.add(key, 0, timeout=window + 1)
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=window + 1)
