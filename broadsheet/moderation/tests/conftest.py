"""Fixtures for the referee's tests: fresh per-process word lists and spam model.

The shared cache is emptied for every test by the root conftest's fresh_cache.
"""

from __future__ import annotations

import pytest

from broadsheet.moderation import selectors, spam


@pytest.fixture(autouse=True)
def fresh_moderation_state():
    """Each test reloads the word lists and the spam model, as a new process would."""
    selectors._matchers.clear()
    spam._cache.clear()
    yield
