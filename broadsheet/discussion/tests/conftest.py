"""Discussion test fixtures (the empty caches every test starts with are the root conftest's)."""

import pytest


@pytest.fixture
def referee(settings):
    """A referee whose answer the test decides, through MODERATION_RULES (no monkeypatching)."""
    from broadsheet.discussion.tests.referee import Referee

    referee = Referee(settings)
    referee.seen.clear()
    yield referee
    referee.seen.clear()
