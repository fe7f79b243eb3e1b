"""Fixed-window counters in Django's cache (Redis in production, shared by every process)."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import caches

from broadsheet.moderation import conf


def cache():
    """The cache the referee counts in (MODERATION_CACHE, the default cache unless set)."""
    return caches[conf.get("MODERATION_CACHE")]


def key_part(value: str) -> str:
    """A short stable digest, so emails and ids never appear in cache keys."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Hit:
    """One window's state after a hit: how many so far, the limit, and seconds to reset."""

    count: int
    limit: int
    window: int
    retry_after: int

    @property
    def exceeded(self) -> bool:
        """Whether this hit went past the limit."""
        return self.count > self.limit


def hit(
    scope: str, limit: int, window: int, *, count: bool = True, now: float | None = None
) -> Hit:
    """Count one event in the current window (or only look, when count is False)."""
    now = time.time() if now is None else now
    bucket = int(now // window)
    key = f"moderation:rate:{scope}:{window}:{bucket}"
    remaining = window - (now - bucket * window)
    store = cache()
    if count:
        # add() is atomic and only creates the counter; incr() is atomic on Redis and locmem.
        store.add(key, 0, timeout=window + 1)
        try:
            current = store.incr(key)
        except ValueError:
            # The key expired between add() and incr(): start the new window at one.
            store.add(key, 1, timeout=window + 1)
            current = 1
    else:
        current = int(store.get(key, 0)) + 1
    return Hit(count=current, limit=limit, window=window, retry_after=max(1, math.ceil(remaining)))
