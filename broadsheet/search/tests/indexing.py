"""Helpers for the search tests: articles written as the site writes them, index updated."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.test import TestCase

from broadsheet.newsroom.models import Article
from broadsheet.newsroom.tests.factories import ArticleFactory


@contextmanager
def committed() -> Iterator[None]:
    """Run what the block schedules for after commit (the index update) when the block ends."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def published(**fields) -> Article:
    """A published article (live since an hour ago), indexed as after a real commit."""
    with committed():
        return ArticleFactory.create(**fields)
