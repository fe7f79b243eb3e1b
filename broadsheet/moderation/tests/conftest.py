"""Fixtures for the referee's tests: a clean cache and fresh per-process model caches."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from broadsheet.moderation import selectors, spam


@pytest.fixture(autouse=True)
def fresh_moderation_state():
    """Each test starts with empty counters and reloads word lists and the spam model."""
    caches["default"].clear()
    selectors._matchers.clear()
    spam._cache.clear()
    yield
    caches["default"].clear()
