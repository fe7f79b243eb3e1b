"""Readers report comments: one report per reader, enough of them hold the comment for review."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, CommentFlag, Subscription
from broadsheet.discussion.selectors import moderation_queue, thread_page
from broadsheet.discussion.tests.factories import (
    ThreadFactory,
    UserFactory,
    comment_form,
    moderator,
    post,
)
from broadsheet.moderation.models import AuditEntry

pytestmark = pytest.mark.django_db


def report(comment, who: str, reason: str = "abuse", **kwargs):
    return services.comment_report(comment=comment, reporter_key=who, reason=reason, **kwargs)


def test_three_reports_hold_a_published_comment_and_keep_counts_exact(settings):
    settings.COMMENT_REPORTS_TO_HOLD = 3
    thread = ThreadFactory()
    comment = post(thread, "Something readers dislike.")
    thread.refresh_from_db()
    assert thread.comment_count == 1

    report(comment, "reader:1")
    report(comment, "reader:2", "spam")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and comment.report_count == 2

    report(comment, "reader:3", "off_topic", note="Nothing to do with the story.")
    comment.refresh_from_db()
    thread.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.report_count == 3 == comment.flags.filter(resolved_at=None).count()
    assert thread.comment_count == 0 and thread.top_level_count == 0
    assert thread_page(thread=thread).nodes == []
    assert [i.comment.pk for i in moderation_queue(tab="reported").items] == [comment.pk]
    assert moderation_queue(tab="pending").items == []
    actions = list(
        AuditEntry.objects.filter(object_key=f"comment:{comment.pk}")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["judged", "report", "report", "report", "held_by_reports"]


def test_one_report_per_reader_per_comment_whatever_the_reason(settings):
    settings.COMMENT_REPORTS_TO_HOLD = 2
    comment = post(ThreadFactory(), "Reported twice by the same person.")
    first, created = report(comment, "reader:same", "spam")
    again, created_again = report(comment, "reader:same", "abuse")

    comment.refresh_from_db()
    assert created and not created_again and again.pk == first.pk
    assert comment.report_count == 1 and comment.status == Comment.Status.APPROVED
    assert CommentFlag.objects.count() == 1


def test_report_needs_a_known_reason_and_a_short_note():
    comment = post(ThreadFactory(), "A comment.")
    with pytest.raises(ValidationError) as exc:
        report(comment, "reader:1", "because", note="x" * 600)
    assert set(exc.value.message_dict) == {"reason", "note"}
    assert not CommentFlag.objects.exists()


def test_held_or_deleted_comments_cannot_be_reported(settings):
    settings.MODERATION_HOLD_FIRST_COMMENT = True
    held = post(ThreadFactory(), "Waiting for a moderator.")
    assert held.status == Comment.Status.PENDING
    with pytest.raises(ValidationError):
        report(held, "reader:1")


def test_approving_resolves_reports_and_new_readers_start_again(settings):
    settings.COMMENT_REPORTS_TO_HOLD = 2
    comment = post(ThreadFactory(), "Unpopular but fair.")
    report(comment, "reader:1")
    report(comment, "reader:2")
    services.comment_moderate(comment=comment, action="approve", actor=moderator())

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and comment.report_count == 0
    assert not CommentFlag.objects.filter(resolved_at=None).exists()
    assert moderation_queue(tab="reported").items == []
    # The same readers cannot report it again; someone new counts from zero.
    assert report(comment, "reader:1")[1] is False
    report(comment, "reader:3")
    comment.refresh_from_db()
    assert comment.report_count == 1 and comment.status == Comment.Status.APPROVED


def test_one_network_cannot_flood_reports(settings):
    settings.COMMENT_REPORT_RATE = "2/3600"
    settings.COMMENT_REPORTS_TO_HOLD = 10
    thread = ThreadFactory()
    comments = [post(thread, f"Comment number {n}.") for n in range(3)]
    report(comments[0], "s:1", ip_hash="same-network")
    report(comments[1], "s:2", ip_hash="same-network")
    with pytest.raises(ValidationError) as exc:
        report(comments[2], "s:3", ip_hash="same-network")
    assert re.fullmatch(
        r"You are reporting too quickly\. Please wait \d+ (seconds|minutes) and try again\.",
        exc.value.messages[0],
    )


# Through HTTP ---------------------------------------------------------------------------------


def test_report_link_on_published_comments_opens_a_form_that_works_without_script(client):
    thread = ThreadFactory(url="")
    comment = post(thread, "Published words.")
    page = client.get(f"/comments/thread/{thread.pk}/").content.decode()
    assert f'href="/comments/{comment.pk}/report/"' in page

    form = client.get(f"/comments/{comment.pk}/report/")
    assert form.status_code == 200
    for value in ("spam", "abuse", "off_topic", "other"):
        assert f'value="{value}"' in form.content.decode()

    missing = client.post(f"/comments/{comment.pk}/report/", {"note": "Kept when I forget."})
    assert missing.status_code == 400
    assert "Kept when I forget." in missing.content.decode()
    assert "Please choose why" in missing.content.decode()

    done = client.post(f"/comments/{comment.pk}/report/", {"reason": "spam"})
    assert done.status_code == 200 and "sent to our moderators" in done.content.decode()
    again = client.post(f"/comments/{comment.pk}/report/", {"reason": "abuse"})
    assert "already reported" in again.content.decode()
    assert CommentFlag.objects.get().reason == "spam"


def test_three_readers_on_three_networks_report_and_the_comment_leaves_the_public_page(settings):
    settings.COMMENT_REPORTS_TO_HOLD = 3
    thread = ThreadFactory(url="")
    comment = post(thread, "Three strikes.")
    for n in range(3):
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(
            f"/comments/{comment.pk}/report/", {"reason": "abuse"}
        )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and comment.report_count == 3
    page = Client().get(f"/comments/thread/{thread.pk}/").content.decode()
    assert "Three strikes." not in page
    assert Client().get(f"/comments/{comment.pk}/report/").status_code == 404


def test_signed_in_reader_reports_once_across_browsers():
    user = UserFactory()
    comment = post(ThreadFactory(), "Reported by an account.")
    for _ in range(2):
        browser = Client()
        browser.force_login(user)
        browser.post(f"/comments/{comment.pk}/report/", {"reason": "other"})
    assert CommentFlag.objects.get().reporter_key == f"user:{user.pk}"


def test_report_form_needs_the_csrf_token():
    comment = post(ThreadFactory(), "Protected.")
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/comments/{comment.pk}/report/", {"reason": "spam"}).status_code == 403
    assert not CommentFlag.objects.exists()


def test_readers_do_not_see_a_report_link_on_their_own_comment(client):
    thread = ThreadFactory(url="")
    client.post(
        "/comments/post/",
        comment_form(thread, "My own words.", author_name="Me", author_email="me@example.org"),
    )
    mine = Comment.objects.get()
    page = client.get(f"/comments/thread/{thread.pk}/").content.decode()
    assert "My own words." in page
    assert f"/comments/{mine.pk}/report/" not in page


def test_approving_a_reported_comment_again_does_not_email_subscribers_twice(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.COMMENT_REPORTS_TO_HOLD = 1
    thread = ThreadFactory()
    Subscription.objects.create(thread=thread, email="watcher@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(thread, "Published, then reported.")
    assert len(mailoutbox) == 1
    report(comment, "reader:1")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(comment=comment, action="approve", actor=moderator())
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert len(mailoutbox) == 1


def test_three_sessions_from_one_network_do_not_hold_a_comment(settings):
    settings.COMMENT_REPORTS_TO_HOLD = 3
    thread = ThreadFactory(url="")
    comment = post(thread, "One person dislikes this.")
    for _ in range(3):
        # Three cookie-less browsers on one address: three report rows, one reporter.
        Client(REMOTE_ADDR="198.51.100.7").post(
            f"/comments/{comment.pk}/report/", {"reason": "abuse"}
        )
    comment.refresh_from_db()
    assert comment.report_count == 3
    assert comment.status == Comment.Status.APPROVED
    assert (
        "One person dislikes this."
        in Client().get(f"/comments/thread/{thread.pk}/").content.decode()
    )


def test_signed_in_readers_on_one_network_count_one_each(settings):
    settings.COMMENT_REPORTS_TO_HOLD = 3
    comment = post(ThreadFactory(url=""), "Three accounts in one office.")
    for _ in range(3):
        browser = Client(REMOTE_ADDR="198.51.100.8")
        browser.force_login(UserFactory())
        browser.post(f"/comments/{comment.pk}/report/", {"reason": "spam"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
