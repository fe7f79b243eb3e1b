"""Readers report comments through the JSON API."""

from __future__ import annotations

import pytest

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, CommentFlag
from broadsheet.discussion.tests.api_client import (
    api_report,
)
from broadsheet.discussion.tests.factories import (
    ThreadFactory,
    post,
)

pytestmark = pytest.mark.django_db


def test_report_is_recorded_once_and_reveals_nothing_private(client, settings):
    settings.COMMENT_REPORTS_TO_HOLD = 5
    thread = ThreadFactory()
    comment = post(thread, "Reported words.", email="author@example.org", ip="203.0.113.77")
    first = api_report(client, comment.pk, {"reason": "off-topic", "note": "Not about it."})
    again = api_report(client, comment.pk, {"reason": "spam"})

    assert first.status_code == 201 and first.json()["created"] is True
    assert again.status_code == 200 and again.json()["created"] is False
    flag = CommentFlag.objects.get()
    assert flag.reason == "off_topic" and flag.note == "Not about it."
    for response in (first, again):
        text = response.content.decode()
        assert "author@example.org" not in text and "203.0.113.77" not in text
        assert "10.77.0.1" not in text and "reporter" not in text
    comment.refresh_from_db()
    assert comment.report_count == 1


def test_report_needs_a_known_reason_and_a_published_comment(client):
    thread = ThreadFactory()
    comment = post(thread, "Reported words.")
    assert api_report(client, comment.pk, {"reason": "boring"}).status_code == 422
    assert api_report(client, 10**12, {"reason": "spam"}).status_code == 404
    services.comment_status_set(comment=comment, status=Comment.Status.REJECTED)
    assert api_report(client, comment.pk, {"reason": "spam"}).status_code == 404
    assert not CommentFlag.objects.exists()
