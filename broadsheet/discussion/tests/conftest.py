"""Discussion test fixtures."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Start every test with empty caches: the referee's rate limits live there."""
    cache.clear()
    yield
    cache.clear()
