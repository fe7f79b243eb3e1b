"""A discussion embedded in a page, through HTTP: posting, errors, permalinks, edit, delete."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from broadsheet.discussion.models import Comment
from broadsheet.discussion.tests.embedding import EMBEDDING_URLS, page_thread, page_url
from broadsheet.discussion.tests.factories import (
    ThreadFactory,
    UserFactory,
    big_thread,
    comment_form,
    post,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(EMBEDDING_URLS)]

HEADLINE = "Harbour bridge reopens after a year of repairs"
PAGE = page_url("bridge")


@pytest.fixture
def thread():
    return page_thread("bridge", HEADLINE)


def test_empty_thread_says_no_responses_yet(client, thread):
    html = client.get(PAGE).content.decode()
    assert '<h2 id="comments-heading">Comments</h2>' in html
    assert "No responses yet" in html
    assert "Leave a Reply" in html


def test_heading_counts_replies_and_quotes_the_headline(client, thread):
    top = post(thread, "First.")
    post(thread, "Second.", parent=top, email="two@example.org")
    html = client.get(PAGE).content.decode()
    assert f"2 responses to “{HEADLINE}”" in html
    post(page_thread("solo", "Solo"), "Only me.")
    assert "One response to “Solo”" in client.get(page_url("solo")).content.decode()


def test_post_redirects_to_the_comment_permalink(client, thread):
    response = client.post(
        "/comments/post/", comment_form(thread, author_url="https://grace.example.net")
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#comment-{comment.pk}"
    page = client.get(PAGE).content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert "The detour added an hour to my commute." in page
    assert '<a href="https://grace.example.net" rel="nofollow ugc noopener" class="url">' in page


def test_empty_comment_comes_back_with_the_error_and_everything_typed(client, thread):
    response = client.post(
        "/comments/post/", comment_form(thread, body="", author_url="grace.example.net")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert HEADLINE in html  # the embedding page itself, not a bare error page
    assert "Please write a comment." in html
    assert 'value="Grace Guest"' in html
    assert 'value="grace@example.org"' in html
    assert 'value="grace.example.net"' in html
    assert 'aria-invalid="true"' in html
    assert Comment.objects.count() == 0


def test_bad_email_keeps_the_comment_text(client, thread):
    response = client.post(
        "/comments/post/", comment_form(thread, author_email="grace@", body="Keep *this* text.")
    )
    html = response.content.decode()
    assert "Please give a valid email address" in html
    assert "Keep *this* text.</textarea>" in html


def test_reply_to_another_threads_comment_is_explained(client, thread):
    elsewhere = post(ThreadFactory(), "Elsewhere.")
    response = client.post("/comments/post/", comment_form(thread, parent=elsewhere.pk))
    assert "belongs to another discussion" in response.content.decode()
    assert not Comment.objects.filter(thread=thread).exists()


def test_reply_link_works_without_script(client, thread):
    top = post(thread, "Top comment.", name="Tom")
    html = client.get(PAGE).content.decode()
    assert f'href="?replytocom={top.pk}#respond"' in html
    html = client.get(f"{PAGE}?replytocom={top.pk}").content.decode()
    assert "Leave a Reply to Tom" in re.sub(r"<[^>]+>", "", html)
    assert f'name="parent" value="{top.pk}"' in html
    response = client.post("/comments/post/", comment_form(thread, parent=top.pk))
    reply = Comment.objects.get(parent=top)
    assert response["Location"] == f"{PAGE}#comment-{reply.pk}"


def test_double_submit_stores_one_comment(client, thread):
    first = client.post("/comments/post/", comment_form(thread))
    second = client.post("/comments/post/", comment_form(thread))
    assert first["Location"] == second["Location"]
    assert Comment.objects.count() == 1


def test_signed_in_reader_skips_name_and_email(client, thread):
    user = UserFactory(display_name="Registered Rita")
    client.force_login(user)
    html = client.get(PAGE).content.decode()
    assert 'name="author_name"' not in html and 'name="author_email"' not in html
    client.post(
        "/comments/post/", comment_form(thread, "Signed in and commenting.", signed_in=True)
    )
    comment = Comment.objects.get()
    assert comment.user == user
    assert "Registered Rita" in client.get(PAGE).content.decode()


@override_settings(COMMENTS_PER_PAGE=5)
def test_permalink_lands_on_the_page_that_shows_the_comment(client, thread):
    big_thread(30, thread=thread, replies_every=0)
    last = Comment.objects.filter(thread=thread).order_by("-path").first()
    response = client.get(f"/comments/{last.pk}/")
    assert response["Location"] == f"{PAGE}?page=6#comment-{last.pk}"
    page = client.get(f"{PAGE}?page=6").content.decode()
    assert f'id="comment-{last.pk}"' in page
    assert "Page 6 of 6" in page


def test_pending_comment_is_shown_to_its_author_only(client, thread, referee):
    referee.hold()
    response = client.post("/comments/post/", comment_form(thread))
    comment = Comment.objects.get()
    assert response["Location"] == f"{PAGE}?held={comment.pk}#comment-{comment.pk}"
    mine = client.get(response["Location"].split("#")[0]).content.decode()
    assert "Your comment is awaiting moderation." in mine
    assert f'id="comment-{comment.pk}"' in mine
    client.logout()
    client.cookies.clear()
    theirs = client.get(PAGE).content.decode()
    assert f'id="comment-{comment.pk}"' not in theirs


def test_author_edits_within_the_window_with_the_session_token(client, thread):
    client.post("/comments/post/", comment_form(thread, body="Teh bridge."))
    comment = Comment.objects.get()
    page = client.get(PAGE).content.decode()
    assert f'href="/comments/{comment.pk}/edit/"' in page
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "The bridge."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "The bridge." and comment.edited_at is not None


def test_someone_else_cannot_edit_or_delete(client, thread):
    comment = post(thread, "Not yours.")
    assert client.get(f"/comments/{comment.pk}/edit/").status_code == 403
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 403
    forged = client.post(f"/comments/{comment.pk}/delete/", {"token": "1:forged:token"})
    assert forged.status_code == 403


def test_resending_someone_elses_comment_does_not_grant_its_edit_rights():
    thread = ThreadFactory(url="")
    victim, other = Client(), Client()
    assert victim.post("/comments/post/", comment_form(thread)).status_code == 302
    comment = Comment.objects.get()
    # Someone who knows her email and words sends the same form within the double-submit window.
    assert other.post("/comments/post/", comment_form(thread)).status_code == 302
    assert Comment.objects.count() == 1
    assert other.get(f"/comments/{comment.pk}/edit/").status_code == 403
    assert other.post(f"/comments/{comment.pk}/delete/").status_code == 403
    assert victim.get(f"/comments/{comment.pk}/edit/").status_code == 200


def test_author_deletes_and_a_tombstone_keeps_the_replies(client, thread):
    client.post("/comments/post/", comment_form(thread, body="I will regret this."))
    mine = Comment.objects.get()
    reply = post(thread, "Reply stays.", parent=mine, email="r@example.org")
    response = client.post(f"/comments/{mine.pk}/delete/")
    assert response.status_code == 302
    html = client.get(PAGE).content.decode()
    assert "This comment was deleted." in html
    assert "I will regret this." not in html
    assert f'id="comment-{reply.pk}"' in html
    assert "One response to" in html


def test_page_shows_no_email_and_no_inline_script_or_style(client, thread):
    post(thread, "Hi.", email="secret.person@example.org", name="Secret")
    response = client.get(PAGE)
    html = response.content.decode()
    assert "secret.person" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "<style" not in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_comment_html_is_escaped_in_names_and_sanitized_in_bodies(client, thread):
    post(thread, "<img src=x onerror=alert(1)> **ok**", name="<b>Bold</b> Name")
    html = client.get(PAGE).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; Name" in html
    assert "<img src=x" not in html
