"""Newsroom test fixtures."""

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep each test's uploaded and generated images in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
