"""Accounts test fixtures."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Start every test with empty caches: the sign-in and registration limits live there."""
    cache.clear()
    yield
    cache.clear()
