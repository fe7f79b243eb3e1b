"""Accounts test fixtures (the empty caches every test starts with are the root conftest's)."""

from types import SimpleNamespace

import pytest

# A clock reading that is 200 s before a 600 s window ends and 800 s before an hour's ends.
NOW = 1_000_000.0


@pytest.fixture
def frozen_clock(monkeypatch):
    """Stop the rate limiter's clock at NOW, so a refusal's wait is known to the second."""
    monkeypatch.setattr("broadsheet.core.ratelimit.time", SimpleNamespace(time=lambda: NOW))
    return NOW
