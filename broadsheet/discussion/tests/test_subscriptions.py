"""Following a discussion: a typed address is subscribed only once it confirms by email."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, Subscription
from broadsheet.discussion.tests.factories import (
    ThreadFactory,
    UserFactory,
    comment_form,
    post,
    post_result,
)

pytestmark = pytest.mark.django_db

CONFIRM_NOTICE = "Check your inbox to confirm follow-up notifications"


def _link(message) -> str:
    match = re.search(r"https?://\S+/comments/subscribe/\S+/", message.body)
    assert match is not None, message.body
    return match.group(0)


def test_a_guest_subscription_waits_for_the_emailed_confirmation(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    thread = ThreadFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = post_result(
            thread, "Tell me about replies.", email="victim@example.org", notify=True
        )
    assert first.subscription_pending is True
    (confirm,) = mailoutbox
    assert confirm.to == ["victim@example.org"]
    assert [mimetype for _html, mimetype in confirm.alternatives] == ["text/html"]
    subscription = Subscription.objects.get()
    assert not subscription.is_active

    # Until confirmed, new comments email nobody.
    with django_capture_on_commit_callbacks(execute=True):
        post(thread, "A reply nobody hears of.", email="other@example.org")
    assert len(mailoutbox) == 1

    path = _link(confirm).removeprefix(settings.SITE_URL)
    page = client.get(path)
    assert page.status_code == 200
    assert '<button type="submit">Confirm</button>' in page.content.decode()
    subscription.refresh_from_db()
    assert not subscription.is_active  # a link scanner's GET confirms nothing
    confirmed = client.post(path)
    assert confirmed.status_code == 200
    assert "<h1>Notifications are on</h1>" in confirmed.content.decode()
    subscription.refresh_from_db()
    assert subscription.is_active

    with django_capture_on_commit_callbacks(execute=True):
        post(thread, "Now the subscriber hears.", email="third@example.org")
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["victim@example.org"]


def test_a_confirmation_link_expires_after_a_week_and_cannot_be_forged(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    thread = ThreadFactory()
    with django_capture_on_commit_callbacks(execute=True):
        post(thread, "Notify me.", email="late@example.org", notify=True)
    path = _link(mailoutbox[0]).removeprefix(settings.SITE_URL)
    assert client.post(path[:-3] + "xx/").status_code == 404
    later = timezone.now() + timedelta(days=8)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert client.post(path).status_code == 404
    assert not Subscription.objects.get().is_active


def test_a_signed_in_reader_is_subscribed_at_once_to_their_own_address(
    mailoutbox, django_capture_on_commit_callbacks
):
    thread = ThreadFactory()
    reader = UserFactory(email="member@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(
            thread=thread, body="Keep me posted.", user=reader, ip="10.3.3.3", notify=True
        )
    assert mailoutbox == []
    assert Subscription.objects.get().is_active


# Telling the guest to check their inbox ------------------------------------------------------


def test_guest_who_asks_for_notifications_is_told_to_check_their_inbox(
    client, django_capture_on_commit_callbacks
):
    thread = ThreadFactory(url="")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/comments/post/", comment_form(thread, notify="on"), follow=True)
    assert response.status_code == 200
    assert CONFIRM_NOTICE in response.content.decode()
    assert len(mail.outbox) == 1  # the confirmation link the notice talks about


def test_no_inbox_notice_without_notify_or_on_a_double_submit(client):
    thread = ThreadFactory(url="")
    page = client.post(
        "/comments/post/", comment_form(thread), follow=True, REMOTE_ADDR="10.78.0.1"
    ).content.decode()
    assert CONFIRM_NOTICE not in page
    other = ThreadFactory(url="")
    form = comment_form(other, notify="on", body="A different question.")
    first = client.post("/comments/post/", form, REMOTE_ADDR="10.78.0.2")
    (comment,) = Comment.objects.filter(thread=other)
    assert first["Location"] == f"/comments/thread/{other.pk}/?confirm=1#comment-{comment.pk}"
    again = client.post("/comments/post/", form, REMOTE_ADDR="10.78.0.3")
    assert again.status_code == 302, again.content.decode()
    assert again["Location"] == f"/comments/thread/{other.pk}/#comment-{comment.pk}"
    assert Comment.objects.filter(thread=other).count() == 1


def test_api_answer_says_a_confirmation_is_pending(client):
    thread = ThreadFactory()
    payload = {
        "key": thread.key,
        "body": "Please keep me posted on this.",
        "author_name": "Tobias Lund",
        "author_email": "tobias@example.org",
        "notify": True,
    }
    body = json.dumps(payload)
    first = client.post(
        "/api/comments", body, content_type="application/json", REMOTE_ADDR="10.77.0.1"
    )
    assert first.status_code == 201  # published at once; a held comment answers 202
    assert first.json()["subscription_pending"] is True
    again = client.post(
        "/api/comments", body, content_type="application/json", REMOTE_ADDR="10.77.0.1"
    )
    assert again.json()["subscription_pending"] is False
