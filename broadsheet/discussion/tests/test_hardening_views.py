"""Hardening of the discussion's HTML side: tokens, the form stamp, odd parameters, placeholders."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.security import form_timestamp_sign
from broadsheet.discussion.tests.factories import ThreadFactory, post

pytestmark = pytest.mark.django_db


def form(for_thread: Thread, body: str = "A considered remark.", **extra) -> dict:
    thread = for_thread
    data = {
        "thread": thread.pk,
        "rendered_at": form_timestamp_sign(time.time() - 60, thread_id=thread.pk),
        "body": body,
        "author_name": "Vera Victim",
        "author_email": "vera@example.org",
    }
    data.update(extra)
    return data


def test_resending_someone_elses_comment_does_not_grant_its_edit_rights():
    thread = ThreadFactory(url="")
    victim, other = Client(), Client()
    assert victim.post("/comments/post/", form(thread)).status_code == 302
    comment = Comment.objects.get()
    # Someone who knows her email and words sends the same form within the double-submit window.
    assert other.post("/comments/post/", form(thread)).status_code == 302
    assert Comment.objects.count() == 1
    assert other.get(f"/comments/{comment.pk}/edit/").status_code == 403
    assert other.post(f"/comments/{comment.pk}/delete/").status_code == 403
    assert victim.get(f"/comments/{comment.pk}/edit/").status_code == 200


@pytest.mark.parametrize("stamp", ["", "1700000000.0", "forged:abc:def"])
def test_form_without_a_genuine_stamp_is_refused_and_keeps_the_text(stamp):
    thread = ThreadFactory(url="")
    response = Client().post(
        "/comments/post/", form(thread, "Typed with care, kept.", rendered_at=stamp)
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Typed with care, kept." in html
    assert "submit it again" in html
    assert not Comment.objects.exists()


def test_stamp_from_another_thread_is_refused():
    thread, other = ThreadFactory(url=""), ThreadFactory(url="")
    borrowed = form_timestamp_sign(time.time() - 60, thread_id=other.pk)
    response = Client().post("/comments/post/", form(thread, rendered_at=borrowed))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_expired_but_genuine_stamp_is_accepted():
    thread = ThreadFactory(url="")
    now = time.time()
    with pytest.MonkeyPatch.context() as mp:
        # Signed three days ago: the signature itself has expired, yet it is ours.
        mp.setattr(time, "time", lambda: now - 3 * 24 * 3600)
        old = form_timestamp_sign(time.time(), thread_id=thread.pk)
    response = Client().post("/comments/post/", form(thread, rendered_at=old))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_the_rendered_form_carries_a_stamp_for_its_thread():
    thread = ThreadFactory(url="")
    html = Client().get(f"/comments/thread/{thread.pk}/").content.decode()
    assert 'name="rendered_at" value="' in html


ODD = ["²", "-1", "0", "abc", "9" * 40, "1e3", " 1", "١"]


@pytest.mark.parametrize("value", ODD)
def test_odd_query_parameters_never_break_the_page(value):
    thread = ThreadFactory(url="")
    post(thread, "Still here.")
    client = Client()
    for name in ("held", "replytocom", "page", "sort"):
        response = client.get(f"/comments/thread/{thread.pk}/", {name: value})
        assert response.status_code == 200, (name, value)
        assert "Still here." in response.content.decode()


@pytest.mark.parametrize("value", ODD)
def test_odd_thread_and_parent_fields_are_client_errors(value):
    thread = ThreadFactory(url="")
    client = Client()
    response = client.post("/comments/post/", form(thread, thread=value))
    assert response.status_code in (400, 404)
    response = client.post("/comments/post/", form(thread, "My reply, kept.", parent=value))
    assert response.status_code == 400
    assert "My reply, kept." in response.content.decode()
    assert not Comment.objects.exists()


def test_page_out_of_range_shows_the_last_page():
    thread = ThreadFactory(url="")
    post(thread, "Only comment.")
    for page in ("999999", "-1", "abc"):
        response = Client().get(f"/comments/thread/{thread.pk}/", {"page": page, "sort": "zzz"})
        assert response.status_code == 200 and "Only comment." in response.content.decode()


def test_hidden_thread_page_is_not_found():
    thread = ThreadFactory(url="")
    Thread.objects.filter(pk=thread.pk).update(visible_from=None)
    assert Client().get(f"/comments/thread/{thread.pk}/").status_code == 404
    Thread.objects.filter(pk=thread.pk).update(visible_from=timezone.now())
    assert Client().get(f"/comments/thread/{thread.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Comment.Status.PENDING, "This comment is awaiting moderation."),
        (Comment.Status.REJECTED, "This comment was removed."),
        (Comment.Status.SPAM, "This comment was removed."),
    ],
)
def test_hidden_comment_keeps_its_approved_replies_on_the_page(status, words):
    thread = ThreadFactory(url="")
    parent = post(thread, "The parent's own words.")
    post(thread, "An approved reply.", parent=parent, name="Rae", email="rae@example.org")
    services.comment_status_set(comment=parent, status=status)
    thread.refresh_from_db()
    html = Client().get(f"/comments/thread/{thread.pk}/").content.decode()
    assert "An approved reply." in html
    assert words in html
    assert "The parent's own words." not in html
    assert "One response" in html  # the heading counts the reply that is shown


def test_hidden_comment_without_replies_stays_hidden():
    thread = ThreadFactory(url="")
    lone = post(thread, "Nobody answered this.")
    services.comment_status_set(comment=lone, status=Comment.Status.REJECTED)
    html = Client().get(f"/comments/thread/{thread.pk}/").content.decode()
    assert "Nobody answered this." not in html
    assert "was removed" not in html


def test_cached_page_never_shows_one_readers_edit_links_to_another():
    thread = ThreadFactory(url="")
    author, stranger = Client(), Client()
    stranger.get(f"/comments/thread/{thread.pk}/")
    assert author.post("/comments/post/", form(thread, "Mine to edit.")).status_code == 302
    comment = Comment.objects.get()
    edit = f"/comments/{comment.pk}/edit/"
    assert "Mine to edit." in stranger.get(f"/comments/thread/{thread.pk}/").content.decode()
    assert edit in author.get(f"/comments/thread/{thread.pk}/").content.decode()
    assert edit not in stranger.get(f"/comments/thread/{thread.pk}/").content.decode()
    assert edit not in Client().get(f"/comments/thread/{thread.pk}/").content.decode()
