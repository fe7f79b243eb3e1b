"""Whether the site has old addresses to redirect, cached so 404s cost no query."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from broadsheet.ingest.models import LegacyURL

# Whether any old address is stored, cached so a site that imported nothing pays no query for a
# 404. A minute at most in each process's local cache (at once with a shared Redis cache).
_ANY_KEY = "ingest:legacy-urls-any"
_ANY_SECONDS = 60


def legacy_urls_any() -> bool:
    """Whether the site has old addresses to redirect (cached)."""
    known = cache.get(_ANY_KEY)
    if known is None:
        known = LegacyURL.objects.exists()
        cache.set(_ANY_KEY, known, _ANY_SECONDS)
    return bool(known)


def legacy_urls_changed() -> None:
    """Forget the cached answer after the transaction that stored old addresses commits."""
    transaction.on_commit(lambda: cache.delete(_ANY_KEY))
