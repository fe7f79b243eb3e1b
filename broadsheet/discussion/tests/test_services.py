"""Posting, replying, editing and deleting comments through the services."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from broadsheet.core.network import ip_hash
from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, Subscription, Thread
from broadsheet.discussion.permissions import NotCommentAuthor
from broadsheet.discussion.security import comment_token
from broadsheet.discussion.tests.factories import ThreadFactory, UserFactory, post

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_top_level_comment_is_approved_rendered_and_counted(referee):
    # About rendering and counting: what the referee makes of a link is moderation's tests'.
    referee.allow()
    thread = ThreadFactory()
    comment = post(thread, "Read [the report](https://example.com/r) *first*.")
    thread.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.depth == 0 and comment.parent is None and comment.root is None
    assert '<a href="https://example.com/r" rel="nofollow ugc noopener">' in comment.body_html
    assert "<em>first</em>" in comment.body_html
    assert (thread.comment_count, thread.top_level_count) == (1, 1)
    assert thread.version == 1  # one change since the thread was made: this comment


def test_comment_markdown_drops_images_headings_and_raw_html():
    comment = post(
        ThreadFactory(), "# Big\n\n![x](https://e.com/x.png)\n\n<script>alert(1)</script>"
    )
    assert "<h1" not in comment.body_html
    assert "<img" not in comment.body_html
    assert "<script" not in comment.body_html


def test_reply_hangs_under_its_parent_and_counts_for_every_ancestor():
    thread = ThreadFactory()
    top = post(thread, "First.")
    reply = post(thread, "Second.", parent=top)
    deeper = post(thread, "Third.", parent=reply)
    assert (reply.parent_id, reply.root_id, reply.depth) == (top.pk, top.pk, 1)
    assert (deeper.root_id, deeper.depth) == (top.pk, 2)
    assert deeper.path.startswith(reply.path) and reply.path.startswith(top.path)
    top.refresh_from_db()
    reply.refresh_from_db()
    assert (top.descendant_count, reply.descendant_count) == (2, 1)
    thread.refresh_from_db()
    assert (thread.comment_count, thread.top_level_count) == (3, 1)


@override_settings(COMMENT_MAX_DEPTH=3)
def test_reply_beyond_the_maximum_depth_attaches_at_the_deepest_level():
    thread = ThreadFactory()
    level0 = post(thread, "0")
    level1 = post(thread, "1", parent=level0)
    level2 = post(thread, "2", parent=level1)
    too_deep = post(thread, "3", parent=level2)
    assert too_deep.depth == 2
    assert too_deep.parent_id == level1.pk


def test_empty_comment_and_missing_identity_are_named_per_field():
    with pytest.raises(ValidationError) as excinfo:
        services.comment_post(thread=ThreadFactory(), body="   ", author_name="", author_email="")
    errors = errors_of(excinfo)
    assert errors["body"] == ["Please write a comment."]
    assert errors["author_name"] == ["Please give your name."]
    assert errors["author_email"] == ["Please give your email address."]
    assert Comment.objects.count() == 0


def test_invalid_email_and_website_are_named():
    with pytest.raises(ValidationError) as excinfo:
        post(ThreadFactory(), email="not-an-email", author_url="javascript:alert(1)")
    errors = errors_of(excinfo)
    assert "valid email" in errors["author_email"][0]
    assert "valid web address" in errors["author_url"][0]


def test_website_without_scheme_gets_https():
    comment = post(ThreadFactory(), author_url="example.net/me")
    assert comment.author_url == "https://example.net/me"


@override_settings(COMMENT_MAX_LENGTH=50)
def test_too_long_comment_is_refused_with_the_limit():
    with pytest.raises(ValidationError) as excinfo:
        post(ThreadFactory(), "x" * 51)
    assert errors_of(excinfo)["body"] == ["Your comment is 51 characters long; the limit is 50."]


def test_parent_from_another_thread_is_refused():
    other = post(ThreadFactory(), "Elsewhere.")
    with pytest.raises(ValidationError) as excinfo:
        post(ThreadFactory(), parent=other)
    assert "another discussion" in errors_of(excinfo)["parent"][0]


def test_nonexistent_parent_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        post(ThreadFactory(), parent=999_999)
    assert "does not exist" in errors_of(excinfo)["parent"][0]


def test_reply_to_a_comment_awaiting_moderation_is_refused(referee):
    thread = ThreadFactory()
    referee.hold()
    held = post(thread, "Hold me.")
    referee.allow()
    with pytest.raises(ValidationError) as excinfo:
        post(thread, "Replying.", parent=held, email="other@example.org")
    assert "not open to replies" in errors_of(excinfo)["parent"][0]


def test_closed_thread_refuses_comments():
    thread = ThreadFactory(is_closed=True)
    with pytest.raises(ValidationError) as excinfo:
        post(thread)
    assert errors_of(excinfo)["thread"] == ["Comments are closed on this page."]


@override_settings(COMMENTS_CLOSE_AFTER_DAYS=14)
def test_thread_closes_automatically_days_after_publication():
    published = timezone.now() - timedelta(days=15)
    thread = services.thread_get_or_create(key="auto", title="Old", published_at=published)
    assert thread.closes_at == published + timedelta(days=14)
    assert not thread.is_open
    fresh = services.thread_get_or_create(key="fresh", title="New", published_at=timezone.now())
    assert fresh.is_open


def test_thread_get_or_create_reads_and_thread_sync_refreshes():
    first = services.thread_get_or_create(key="k", url="/a/", title="Old title")
    again = services.thread_get_or_create(key="k", url="/a/", title="New title", closed=True)
    # Reading never writes: the stored thread is returned as it is.
    assert again.pk == first.pk and again.title == "Old title" and not again.is_closed
    synced = services.thread_sync(
        key="k", url="/a/", title="New title", published_at=None, comments_enabled=True,
        visible=True,
    )  # fmt: skip
    assert synced.pk == first.pk and synced.title == "New title"
    assert Thread.objects.count() == 1


def test_double_submit_stores_one_comment():
    thread = ThreadFactory()
    first = post(thread, "Same words.")
    second = post(thread, "Same words.")
    assert first.pk == second.pk
    thread.refresh_from_db()
    assert thread.comment_count == 1


def test_same_words_later_or_from_someone_else_are_new_comments():
    thread = ThreadFactory()
    first = post(thread, "Agreed.")
    other = post(thread, "Agreed.", email="someone@example.org", name="Someone")
    later = post(thread, "Agreed.", now=timezone.now() + timedelta(minutes=10))
    assert len({first.pk, other.pk, later.pk}) == 3


def test_held_verdict_stores_pending_with_reasons_and_no_count(referee):
    referee.hold()
    thread = ThreadFactory()
    comment = post(thread, "Borderline.")
    thread.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.verdict["reasons"] == [
        {
            "rule": "test_hold",
            "decision": "hold",
            "message": "The test referee says hold.",
            "score": None,
        }
    ]
    assert thread.comment_count == 0


def test_the_referee_sees_the_submission(referee):
    referee.allow()
    thread = ThreadFactory()
    post(thread, "Hello.", honeypot="bot", form_age_seconds=1.5, ip="198.51.100.9")
    (submission,) = referee.seen
    assert submission.text == "Hello."
    assert submission.honeypot == "bot" and submission.form_age_seconds == 1.5
    assert submission.ip_hash == ip_hash("198.51.100.9")
    assert f"thread:{thread.pk}" in submission.context_keys


def test_ip_is_stored_hashed_never_raw():
    comment = post(ThreadFactory(), ip="192.0.2.44")
    assert "192.0.2.44" not in comment.ip_hash
    assert comment.ip_hash == ip_hash("192.0.2.44") and len(comment.ip_hash) == 64


def test_signed_in_reader_needs_no_name_or_email():
    user = UserFactory()
    comment = services.comment_post(thread=ThreadFactory(), body="Signed in.", user=user).comment
    assert comment is not None and comment.user == user
    assert comment.display_name == user.public_name


def test_edit_within_the_window_rerenders_and_marks_edited():
    comment = post(ThreadFactory(), "Frist!")
    edited = services.comment_edit(
        comment=comment, body="**First**", token=comment_token(comment.pk)
    )
    assert edited.body_html.strip() == "<p><strong>First</strong></p>"
    assert edited.edited_at is not None


def test_edit_after_the_window_is_refused():
    comment = post(ThreadFactory(), "Too late.")
    with pytest.raises(ValidationError) as excinfo:
        services.comment_edit(
            comment=comment,
            body="Changed",
            token=comment_token(comment.pk),
            now=timezone.now() + timedelta(minutes=16),
        )
    assert "15 minutes" in errors_of(excinfo)["body"][0]


def test_edit_with_another_comments_token_is_refused():
    thread = ThreadFactory()
    mine = post(thread, "Mine.")
    theirs = post(thread, "Theirs.", email="b@example.org")
    with pytest.raises(NotCommentAuthor):
        services.comment_edit(comment=theirs, body="Hacked", token=comment_token(mine.pk))


def test_delete_with_replies_leaves_a_tombstone_and_exact_counts():
    thread = ThreadFactory()
    top = post(thread, "Top.")
    reply = post(thread, "Reply.", parent=top, email="r@example.org")
    services.comment_delete(comment=top, token=comment_token(top.pk))
    top.refresh_from_db()
    thread.refresh_from_db()
    assert top.status == Comment.Status.DELETED and top.body_html == ""
    assert Comment.objects.filter(pk=reply.pk, status=Comment.Status.APPROVED).exists()
    # The tombstone still holds a page slot for its reply; only the reply counts.
    assert (thread.comment_count, thread.top_level_count) == (1, 1)
    services.comment_delete(comment=reply, token=comment_token(reply.pk))
    thread.refresh_from_db()
    assert (thread.comment_count, thread.top_level_count) == (0, 0)


def test_delete_without_replies_drops_it_from_counts():
    thread = ThreadFactory()
    keep = post(thread, "Keep.")
    gone = post(thread, "Gone.", email="g@example.org")
    services.comment_delete(comment=gone, token=comment_token(gone.pk))
    thread.refresh_from_db()
    assert (thread.comment_count, thread.top_level_count) == (1, 1)
    assert Comment.objects.listed().filter(thread=thread).get() == keep


def test_moderator_approval_counts_a_held_comment(referee):
    referee.hold()
    thread = ThreadFactory()
    held = post(thread, "Waiting.")
    services.comment_status_set(comment=held, status=Comment.Status.APPROVED)
    thread.refresh_from_db()
    assert (thread.comment_count, thread.top_level_count) == (1, 1)


def test_counters_match_a_full_recount_after_mixed_changes():
    thread = ThreadFactory()
    a = post(thread, "a")
    b = post(thread, "b", parent=a, email="b@example.org")
    post(thread, "c", parent=b, email="c@example.org")
    d = post(thread, "d", email="d@example.org")
    services.comment_delete(comment=b, token=comment_token(b.pk))
    services.comment_delete(comment=d, token=comment_token(d.pk))
    thread.refresh_from_db()
    stored = (thread.comment_count, thread.top_level_count)
    counts = dict(Comment.objects.filter(thread=thread).values_list("pk", "descendant_count"))
    services.thread_recount(thread=thread)
    thread.refresh_from_db()
    assert stored == (thread.comment_count, thread.top_level_count) == (2, 1)
    assert counts == dict(
        Comment.objects.filter(thread=thread).values_list("pk", "descendant_count")
    )


def test_effects_run_only_after_commit(django_capture_on_commit_callbacks, mailoutbox):
    thread = ThreadFactory()
    Subscription.objects.create(thread=thread, email="watcher@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(thread, "News!")
    assert mailoutbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mailoutbox] == [["watcher@example.org"]]


def test_notify_box_subscribes_the_commenter():
    thread = ThreadFactory()
    post(thread, "Tell me more.", notify=True, email="Sub@Example.org")
    assert Subscription.objects.filter(thread=thread, email="sub@example.org").exists()


def test_import_is_idempotent_and_bypasses_moderation(referee):
    referee.reject()
    thread = ThreadFactory()
    top = services.comment_import(
        thread=thread, parent=None, author_name="Old Timer", body="Archive.", import_key="x:1"
    )
    reply = services.comment_import(
        thread=thread, parent=top, author_name="", body="Anon reply.", import_key="x:2"
    )
    again = services.comment_import(
        thread=thread, parent=None, author_name="Old Timer", body="Archive.", import_key="x:1"
    )
    thread.refresh_from_db()
    assert again.pk == top.pk
    assert top.status == reply.status == Comment.Status.APPROVED
    assert reply.display_name == "Anonymous"
    assert (thread.comment_count, thread.top_level_count) == (2, 1)


def test_bulk_import_builds_paths_and_counts():
    thread = ThreadFactory()
    items = [
        services.BulkComment(author_name="A", body="a"),
        services.BulkComment(author_name="B", body="b", parent=0),
        services.BulkComment(author_name="C", body="c", parent=1),
        services.BulkComment(author_name="D", body="d"),
    ]
    built = services.comment_bulk_import(thread=thread, items=items)
    thread.refresh_from_db()
    assert [c.depth for c in built] == [0, 1, 2, 0]
    assert built[2].root_id == built[0].pk
    assert (thread.comment_count, thread.top_level_count, thread.last_seq) == (4, 2, 4)
    later = post(thread, "after bulk")
    assert later.seq == 5


@pytest.mark.django_db(transaction=True)
def test_counters_stay_exact_under_concurrent_posting():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.skip("in-memory SQLite cannot share writers across threads; runs on PostgreSQL")
    thread = ThreadFactory()
    top = post(thread, "Start.")
    failures = []

    def worker(n: int) -> None:
        try:
            for i in range(5):
                post(thread, f"Worker {n} says {i}.", parent=top, email=f"w{n}-{i}@example.org")
        except Exception as exc:  # noqa: BLE001
            failures.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert failures == []
    thread.refresh_from_db()
    top.refresh_from_db()
    assert thread.comment_count == 31
    assert top.descendant_count == 30
    assert len(set(Comment.objects.filter(thread=thread).values_list("path", flat=True))) == 31


def test_import_drops_a_website_that_is_not_a_web_address():
    thread = ThreadFactory()
    comment = services.comment_import(
        thread=thread,
        parent=None,
        author_name="Old",
        body="Imported.",
        import_key="x:js",
        author_url="javascript:alert(1)",
    )
    assert comment.author_url == ""
