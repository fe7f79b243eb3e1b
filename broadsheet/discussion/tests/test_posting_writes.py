"""One write transaction per comment: its row, its thread's counters, rate counts and audit."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.core.models import RateCounter
from broadsheet.discussion.models import Comment, Subscription
from broadsheet.discussion.tests.factories import ThreadFactory, post, post_result
from broadsheet.moderation.judge import judge
from broadsheet.moderation.models import AuditEntry
from broadsheet.moderation.services import verdict_rates_count
from broadsheet.moderation.verdicts import Submission

pytestmark = pytest.mark.django_db


def _commits(ctx: CaptureQueriesContext) -> int:
    return sum(q["sql"] == "COMMIT" for q in ctx.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_published_guest_comment_commits_once_with_its_counts_and_audit(settings):
    settings.MODERATION_RATE_PER_IP = ["5/60"]
    settings.MODERATION_RATE_PER_IDENTITY = ["5/60", "30/3600"]
    thread = ThreadFactory()
    with CaptureQueriesContext(connection) as ctx:
        comment = post(thread, "The ferry timetable changes on Monday.", ip="10.9.9.9")
    assert comment.status == Comment.Status.APPROVED
    assert _commits(ctx) == 1
    # One count in each of the author's three windows, stored by that same commit.
    assert sorted(RateCounter.objects.values_list("count", flat=True)) == [1, 1, 1]
    assert AuditEntry.objects.filter(object_key=f"comment:{comment.pk}").count() == 1
    # Published at once, it is claimed for the subscribers' email by its own INSERT.
    assert comment.notified_at == comment.created_at
    thread.refresh_from_db()
    assert (thread.comment_count, thread.last_seq, thread.version) == (1, 1, 1)


def test_the_limit_refuses_the_next_comment_and_a_second_click_gets_the_stored_one(settings):
    settings.MODERATION_RATE_PER_IDENTITY = ["2/60"]
    thread = ThreadFactory()
    first = post(thread, "First thought on the harbour plan.")
    second = post(thread, "Second thought on the harbour plan.")
    # A double click of the comment that reached the limit is that comment, not a refusal.
    again = post_result(thread, "Second thought on the harbour plan.")
    assert again.comment is not None and again.comment.pk == second.pk and not again.created
    refused = post_result(thread, "Third thought on the harbour plan.")
    assert refused.comment is None and refused.retry_after is not None
    assert refused.reader_message.startswith("You are commenting too quickly. Please wait")
    assert list(thread.comments.order_by("pk").values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
    ]


def test_a_count_taken_between_judging_and_storing_still_refuses(settings):
    settings.MODERATION_RATE_PER_IDENTITY = ["1/60"]
    thread = ThreadFactory()
    submission = Submission(text="A slow reply.", author_email="ada@example.org")
    # Judged while the author is under the limit: the look counts nothing.
    verdict = judge(submission, defer_rate_counts=True)
    assert verdict.decision == "allow" and verdict.rate_windows
    assert not RateCounter.objects.exists()
    # Meanwhile another comment by the same author is stored and counted.
    post(thread, "A quick comment that got in first.")
    refusal = verdict_rates_count(verdict)
    assert refusal is not None and refusal.decision == "reject"
    assert refusal.retry_after_seconds is not None and not refusal.stored
    assert refusal.reasons[0].message == (
        "Rate limit: more than 1 comments in 60 s from this author."
    )


def test_subscribers_hear_of_a_new_comment_and_the_author_does_not(
    mailoutbox, django_capture_on_commit_callbacks
):
    thread = ThreadFactory()
    Subscription.objects.create(
        thread=thread, email="bea@example.org", is_active=True, confirmed_at=thread.created_at
    )
    with django_capture_on_commit_callbacks(execute=True):
        post(thread, "Ada's comment, which Bea should hear of.", email="ada@example.org")
        post(thread, "Bea's own comment, nobody else to hear of it.", email="bea@example.org")
    assert [m.to for m in mailoutbox] == [["bea@example.org"]]


def test_an_author_subscribed_by_account_and_by_email_is_not_told_of_their_own_comment(
    mailoutbox, django_capture_on_commit_callbacks
):
    from broadsheet.discussion import services
    from broadsheet.discussion.tests.factories import UserFactory

    thread = ThreadFactory()
    reader = UserFactory(email="cara@example.org")
    # Subscribed once under an old address (by account), once as a guest with the new one.
    Subscription.objects.create(thread=thread, email="old@example.org", user=reader, is_active=True)
    Subscription.objects.create(thread=thread, email="CARA@example.org", is_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(thread=thread, body="Cara's own words, long enough.", user=reader)
    assert mailoutbox == []
    Subscription.objects.create(thread=thread, email="dan@example.org", is_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(thread=thread, body="Cara again, for Dan to read.", user=reader)
    assert [m.to for m in mailoutbox] == [["dan@example.org"]]
