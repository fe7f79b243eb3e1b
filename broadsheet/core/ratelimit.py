"""Rate limits shared by every process of the site, and the one wording for "too fast".

Fixed-window counters in one of two stores (RATE_LIMIT_STORE): "cache" counts in RATE_LIMIT_CACHE
with atomic incr (Redis in production); "database" counts in core's RateCounter with one atomic
upsert, for installs whose cache is per process (local memory), where several workers would each
keep their own count. "auto" (the default) picks "database" for a per-process cache and "cache"
otherwise. Comments (moderation), reader reports and accounts all count here.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

STORES = {"auto", "cache", "database"}
# Cache backends whose data lives in one process only: useless for counting across workers.
PROCESS_LOCAL_CACHES = (LocMemCache, DummyCache)
# Every this many database hits (per process), delete windows that have closed.
PRUNE_EVERY = 200
KEY_PREFIX = "rate"
_hits = itertools.count(1)


def wait_words(seconds: int) -> str:
    """Say a wait in plain words: '45 seconds', '1 second', '12 minutes'."""
    seconds = max(1, int(seconds))
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes"


def too_fast_message(*, doing: str, retry_after: int, kept: str = "") -> str:
    """The one sentence every limit uses: 'You are <doing> too quickly. Please wait …'."""
    message = f"You are {doing} too quickly. Please wait {wait_words(retry_after)} and try again."
    return f"{message} {kept}" if kept else message


def cache():
    """The cache counters live in (RATE_LIMIT_CACHE, the default cache unless set)."""
    return caches[settings.RATE_LIMIT_CACHE]


def store_name() -> str:
    """Where counters live: "cache" or "database" (RATE_LIMIT_STORE, resolving "auto")."""
    name = str(settings.RATE_LIMIT_STORE).strip().lower()
    if name not in STORES:
        raise ImproperlyConfigured(
            f"RATE_LIMIT_STORE must be auto, cache or database, not {name!r}"
        )
    if name == "auto":
        return "database" if isinstance(cache(), PROCESS_LOCAL_CACHES) else "cache"
    return name


def counting():
    """Count several limits as one write: one transaction in the database store, else nothing.

    A comment counts against two to four windows; on SQLite each upsert in autocommit took the
    write lock on its own, which eight concurrent writers then queued for. Inside the caller's
    transaction it adds no savepoint: the counts commit or roll back with the caller's write.
    """
    if store_name() == "database":
        return transaction.atomic(savepoint=False)
    return contextlib.nullcontext()


@dataclass(frozen=True)
class Window:
    """One limit an event counts against: whose events (scope), how many, in how many seconds."""

    scope: str
    limit: int
    seconds: int


def worst(
    windows: Iterable[Window], *, count: bool = True, now: float | None = None
) -> tuple[Window, Hit] | None:
    """Count one event in every window (or only look); return the exceeded one waiting longest."""
    found: tuple[Window, Hit] | None = None
    with counting() if count else contextlib.nullcontext():
        for window in windows:
            current = hit(window.scope, window.limit, window.seconds, count=count, now=now)
            if current.exceeded and (found is None or current.retry_after > found[1].retry_after):
                found = (window, current)
    return found


def parse_limit(name: str, value: str) -> tuple[int, int]:
    """Parse a "count/seconds" limit such as "10/600", naming the setting when it is wrong."""
    try:
        count, seconds = (int(part) for part in str(value).split("/"))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must look like 10/600 (attempts/seconds), not {value!r}"
        ) from exc
    if count < 1 or seconds < 1:
        raise ImproperlyConfigured(f"{name}: {value!r} must have positive numbers")
    return count, seconds


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
    remaining = window - (now - bucket * window)
    if store_name() == "database":
        current = _database_hit(
            f"{KEY_PREFIX}:{scope}:{window}", bucket * window, window, count=count, now=now
        )
    else:
        current = _cache_hit(f"{KEY_PREFIX}:{scope}:{window}:{bucket}", window, count=count)
    return Hit(count=current, limit=limit, window=window, retry_after=max(1, math.ceil(remaining)))


def _cache_hit(key: str, window: int, *, count: bool) -> int:
    store = cache()
    if not count:
        return int(store.get(key, 0)) + 1
    # add() is atomic and only creates the counter; incr() is atomic on Redis.
    store.add(key, 0, timeout=window + 1)
    try:
        return store.incr(key)
    except ValueError:
        # The key expired between add() and incr(): start the new window at one.
        store.add(key, 1, timeout=window + 1)
        return 1


def _database_hit(key: str, window_start: int, window: int, *, count: bool, now: float) -> int:
    # Imported here so the wording helpers above stay importable before the app registry is.
    from broadsheet.core.models import RateCounter

    q = connection.ops.quote_name
    table = q(RateCounter._meta.db_table)
    if not count:
        # Plain SQL: a look runs on every comment, and the ORM's query building cost more than
        # the read itself.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {q('count')} FROM {table} "  # noqa: S608 - quoted constant names only
                f"WHERE {q('key')} = %s AND {q('window_start')} = %s",
                [key, window_start],
            )
            row = cursor.fetchone()
        return (int(row[0]) if row else 0) + 1
    _require_upsert_returning()
    # One statement, atomic on SQLite (3.35+ for RETURNING) and PostgreSQL: concurrent workers
    # each see their own increment, never a lost update. Only quoted constant names are
    # interpolated; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({q('key')}, {q('window_start')}, {q('count')}, {q('expires_at')}) "  # noqa: S608
        "VALUES (%s, %s, 1, %s) "
        f"ON CONFLICT ({q('key')}, {q('window_start')}) "
        f"DO UPDATE SET {q('count')} = {table}.{q('count')} + 1 "
        f"RETURNING {q('count')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, window_start, window_start + window])
        current = int(cursor.fetchone()[0])
    if next(_hits) % PRUNE_EVERY == 0:
        prune(now=now)
    return current


def _require_upsert_returning() -> None:
    """Fail clearly on SQLite older than 3.35 (no RETURNING), which Django 5.2 still accepts."""
    if connection.vendor == "sqlite":
        import sqlite3

        if sqlite3.sqlite_version_info < (3, 35):
            raise ImproperlyConfigured(
                f"SQLite {sqlite3.sqlite_version} cannot count rate limits in the database "
                "(3.35+ needed): upgrade SQLite, or set REDIS_URL and RATE_LIMIT_STORE=cache."
            )


def prune(*, now: float | None = None) -> int:
    """Delete database counters whose window has closed; return how many."""
    from broadsheet.core.models import RateCounter

    now = time.time() if now is None else now
    deleted, _ = RateCounter.objects.filter(expires_at__lt=int(now)).delete()
    return deleted
