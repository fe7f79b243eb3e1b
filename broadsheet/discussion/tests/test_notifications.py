"""Subscribers get one email per new comment, never again for it; unsubscribing takes one click."""

from __future__ import annotations

import re
import socket
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from django.test import override_settings

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, Subscription
from broadsheet.discussion.tests.factories import ThreadFactory, moderator, post
from broadsheet.moderation.services import context_policy_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    return ThreadFactory(title="Tram line extension approved", url="/2026/01/02/tram/")


def comment_with_effects(capture, *args, **kwargs):
    with capture(execute=True):
        return post(*args, **kwargs)


def test_subscriber_gets_text_and_html_without_anyones_address(
    thread, mailoutbox, django_capture_on_commit_callbacks
):
    comment_with_effects(
        django_capture_on_commit_callbacks,
        thread,
        "Tell me when others reply.",
        email="first@example.org",
        notify=True,
    )
    # A guest's typed address gets only the confirmation link, and is subscribed once it is used.
    (confirmation,) = mailoutbox
    assert "/comments/subscribe/" in confirmation.body
    Subscription.objects.filter(email="first@example.org").update(is_active=True)
    mailoutbox.clear()
    reply = comment_with_effects(
        django_capture_on_commit_callbacks,
        thread,
        "A reply worth reading.",
        name="Second Voice",
        email="second.voice@example.org",
    )
    (message,) = mailoutbox
    assert message.to == ["first@example.org"]
    assert message.subject == "New comment on “Tram line extension approved”"
    assert "Second Voice commented" in message.body
    assert "A reply worth reading." in message.body
    assert f"/comments/{reply.pk}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<p>A reply worth reading.</p>" in html
    everything = message.message().as_string()
    assert "second.voice@example.org" not in everything
    unsubscribe = re.search(r"<(http[^>]+/comments/unsubscribe/[^>]+/)>", everything).group(1)
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body and unsubscribe in html


def test_unsubscribe_link_confirms_on_get_and_stops_on_post(client, thread, mailoutbox):
    subscription = Subscription.objects.create(thread=thread, email="reader@example.org")
    from broadsheet.discussion.security import unsubscribe_token

    url = f"/comments/unsubscribe/{unsubscribe_token(subscription.pk)}/"
    page = client.get(url)
    assert page.status_code == 200 and "Stop the emails?" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.is_active  # a mail scanner's GET changes nothing
    # One-click (RFC 8058): a bare POST from the mail client, no CSRF token.
    client.handler.enforce_csrf_checks = True
    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert "You are unsubscribed" in done.content.decode()
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert client.get("/comments/unsubscribe/forged-token/").status_code == 404


def test_unsubscribed_reader_gets_nothing(thread, mailoutbox, django_capture_on_commit_callbacks):
    Subscription.objects.create(thread=thread, email="gone@example.org", is_active=False)
    comment_with_effects(django_capture_on_commit_callbacks, thread, "Quiet.")
    assert mailoutbox == []


def test_re_approving_a_comment_does_not_email_subscribers_again(
    mailoutbox, django_capture_on_commit_callbacks
):
    thread = ThreadFactory()
    Subscription.objects.create(thread=thread, email="watcher@example.org", is_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(thread, "News to the watcher.")
    assert len(mailoutbox) == 1
    actor = moderator()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(comment=comment, action="reject", actor=actor)
        services.comment_moderate(comment=comment, action="approve", actor=actor)
        services.comment_status_set(comment=comment, status=Comment.Status.REJECTED)
        services.comment_status_set(comment=comment, status=Comment.Status.APPROVED)
    assert len(mailoutbox) == 1


def test_a_held_comment_notifies_once_when_first_approved(
    mailoutbox, django_capture_on_commit_callbacks
):
    thread = ThreadFactory()
    Subscription.objects.create(thread=thread, email="watcher@example.org", is_active=True)
    context_policy_set(key=f"thread:{thread.pk}", mode="pre")
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(thread, "Waits for a moderator.")
    assert comment.status == Comment.Status.PENDING and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(comment=comment, action="approve", actor=moderator())
    assert len(mailoutbox) == 1


class Collector:
    """An SMTP handler that keeps what it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_notification_travels_through_a_real_smtp_server(
    thread, django_capture_on_commit_callbacks
):
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        Subscription.objects.create(thread=thread, email="listener@example.org")
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        ):
            comment_with_effects(
                django_capture_on_commit_callbacks,
                thread,
                "Over the wire.",
                email="sender@example.org",
            )
    finally:
        controller.stop()
    (envelope,) = collector.envelopes
    assert envelope.rcpt_tos == ["listener@example.org"]
    message = message_from_bytes(envelope.content, policy=default_policy)
    assert str(message["List-Unsubscribe"]).strip().startswith("<http")
    assert message.get_body(("plain",)).get_content().count("Over the wire.") == 1
    assert "Over the wire." in message.get_body(("html",)).get_content()
    assert b"sender@example.org" not in envelope.content
