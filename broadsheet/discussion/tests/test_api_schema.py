"""Schemathesis drives every API operation from its OpenAPI schema: no input may cause a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from broadsheet.discussion.tests.factories import ThreadFactory, post

pytestmark = pytest.mark.django_db


# Loaded through the app's WSGI interface, as any client would (the lazy pytest loader of
# schemathesis 4.32 does not work with pytest 9, so the schema is read at collection time).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


@pytest.fixture(autouse=True)
def example_thread(settings):
    """A thread the schema's examples name, with comments to reply to, edit and delete."""
    settings.COMMENT_EMBED_ORIGINS = ["https://blog.example.net"]
    thread = ThreadFactory(key="article:1", url="/2026/01/example-story/")
    first = post(thread, "The first comment.", email="first@example.org")
    post(thread, "A reply.", parent=first, email="second@example.org")
    return thread


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_request_the_schema_allows_makes_the_api_fail(case):
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
