"""Schemathesis drives every API operation from its OpenAPI schema: no input may cause a 5xx."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from broadsheet.discussion.tests.factories import ThreadFactory, post

pytestmark = pytest.mark.django_db


# Loaded through the app's WSGI interface, as any client would (the lazy pytest loader of
# schemathesis 4.32 does not work with pytest 9, so the schema is read at collection time).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


@pytest.fixture(autouse=True)
def test_connection_kept():
    """Keep the test's database connection open across requests, as Django's test Client does.

    A bare WSGI handler closes connections at the end of each request, which would end the
    test's transaction on PostgreSQL.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def example_thread(test_connection_kept, settings):
    """A thread the schema's examples name, with comments to reply to, edit and delete."""
    settings.COMMENT_EMBED_ORIGINS = ["https://blog.example.net"]
    thread = ThreadFactory(key="article:1", url="/2026/01/example-story/")
    first = post(thread, "The first comment.", email="first@example.org")
    post(thread, "A reply.", parent=first, email="second@example.org")
    return thread


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25")),
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_request_the_schema_allows_makes_the_api_fail(case):
    response = case.call()
    # No 5xx, and every answer has the shape the schema promises (the thread page is built
    # without pydantic's second pass, so this is what keeps it honest).
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
