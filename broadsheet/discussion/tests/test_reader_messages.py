"""What the reader sees: held comments to their author only, plain refusals, try-again times."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from broadsheet.core.ratelimit import wait_words
from broadsheet.discussion import services
from broadsheet.discussion.models import Comment
from broadsheet.discussion.security import form_timestamp_sign
from broadsheet.discussion.tests.factories import (
    ThreadFactory,
    UserFactory,
    comment_form,
    moderator,
    post,
    post_result,
)

pytestmark = pytest.mark.django_db


def test_held_comment_is_shown_to_its_author_only_marked_awaiting_moderation():
    thread = ThreadFactory(url="")
    author = Client()
    response = author.post("/comments/post/", comment_form(thread, "You idiot, read the report."))
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        f"/comments/thread/{thread.pk}/?held={comment.pk}#comment-{comment.pk}"
    )
    assert comment.status == Comment.Status.PENDING

    mine = author.get(response["Location"]).content.decode()
    assert "You idiot, read the report." in mine
    assert "Your comment is awaiting moderation." in mine
    assert "awaiting moderation and will appear here" in mine
    others = Client().get(f"/comments/thread/{thread.pk}/").content.decode()
    assert "You idiot" not in others


def test_rejected_comment_gets_plain_words_that_do_not_name_the_rule():
    thread = ThreadFactory(url="")
    response = Client().post(
        "/comments/post/", comment_form(thread, "Just kys already, nobody cares.")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Sorry, this comment cannot be published." in html
    assert "Just kys already, nobody cares." in html  # the text comes back to the reader
    for leak in ("kys", "banned", "word list", "rule"):
        assert leak not in html.split("Sorry, this comment")[1].split("</p>")[0].lower()


def test_rate_limited_reader_is_told_when_to_try_again_and_keeps_the_text(settings):
    # An hourly window: a minute window could turn between two posts and reset the count.
    settings.MODERATION_RATE_PER_IDENTITY = ["2/3600"]
    thread = ThreadFactory(url="")
    client = Client()
    for n in range(2):
        assert (
            client.post("/comments/post/", comment_form(thread, f"Comment {n}.")).status_code == 302
        )
    response = client.post(
        "/comments/post/", comment_form(thread, "A third thought, typed with care.")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(
        r"You are commenting too quickly\. Please wait \d+ (seconds?|minutes) and try again\. "
        r"Your text has been kept\.",
        html,
    )
    assert "A third thought, typed with care." in html
    assert Comment.objects.count() == 2  # nothing stored for the refused one


def test_wait_is_said_in_minutes_when_long():
    assert wait_words(1) == "1 second"
    assert wait_words(45) == "45 seconds"
    assert wait_words(3000) == "50 minutes"


def test_too_fast_form_comes_back_with_the_text_and_asks_to_submit_again(settings):
    settings.MODERATION_MIN_FORM_SECONDS = 30
    thread = ThreadFactory(url="")
    stamp = form_timestamp_sign(time.time(), thread_id=thread.pk)
    response = Client().post(
        "/comments/post/", comment_form(thread, "Quick but human.", rendered_at=stamp)
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please check your comment and submit it again." in html
    assert "Quick but human." in html
    assert not Comment.objects.exists()


def test_honeypot_stores_nothing():
    thread = ThreadFactory(url="")
    response = Client().post("/comments/post/", comment_form(thread, "Buy now.", nickname="bot"))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_service_refusal_without_a_row_carries_the_wait_for_the_api(settings):
    settings.MODERATION_RATE_PER_IP = ["1/3600"]
    thread = ThreadFactory()
    post(thread, "First.", ip="10.77.0.1")
    refused = post_result(thread, "Second.", ip="10.77.0.1", email="other@example.org")
    assert (refused.comment, refused.stored, refused.created, refused.refused) == (
        None,
        False,
        False,
        True,
    )
    assert refused.retry_after is not None and 0 < refused.retry_after <= 3600
    assert refused.reader_message == (
        f"You are commenting too quickly. Please wait {wait_words(refused.retry_after)} "
        "and try again. Your text has been kept."
    )
    assert Comment.objects.count() == 1


def test_article_page_shows_staff_badge_and_featured_comments_first():
    thread = ThreadFactory(url="")
    staff = UserFactory(is_staff=True, display_name="Desk Editor")
    services.comment_post(thread=thread, body="Correction appended.", user=staff)
    plain = post(thread, "An ordinary comment.")
    best = post(thread, "The comment worth reading.")
    services.comment_feature(comment=best, actor=moderator())

    html = Client().get(f"/comments/thread/{thread.pk}/").content.decode()
    assert html.count('<span class="comment__badge">Staff</span>') == 1
    featured = html.index('id="featured-heading">Featured</h3>')
    assert featured < html.index(f'id="comment-{plain.pk}"')
    assert html.index(f'id="featured-{best.pk}"') < html.index(f'id="comment-{best.pk}"')
