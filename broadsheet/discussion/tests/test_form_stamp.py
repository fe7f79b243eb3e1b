"""The form stamp: a posted form must come from a page we rendered, for that thread."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from broadsheet.discussion.models import Comment
from broadsheet.discussion.security import form_timestamp_read, form_timestamp_sign
from broadsheet.discussion.tests.factories import (
    ThreadFactory,
    comment_form,
    form_stamp,
    post,
    post_result,
)

pytestmark = pytest.mark.django_db

REFUSED_STAMP = "That was quicker than we expected. Please check your comment and submit it again."


def test_a_forged_form_stamp_is_refused_and_nothing_is_stored():
    thread = ThreadFactory()
    refused = post_result(thread, "Sent by a script without the form.", form_token_valid=False)
    assert (refused.comment, refused.stored) == (None, False)
    assert refused.reader_message == REFUSED_STAMP
    assert post(thread, "Sent from the real form.", form_token_valid=True).pk is not None
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("stamp", ["", "1700000000.0", "forged:abc:def"])
def test_form_without_a_genuine_stamp_is_refused_and_keeps_the_text(stamp):
    thread = ThreadFactory(url="")
    response = Client().post(
        "/comments/post/", comment_form(thread, "Typed with care, kept.", rendered_at=stamp)
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Typed with care, kept." in html
    assert REFUSED_STAMP in html
    assert not Comment.objects.exists()


def test_stamp_from_another_thread_is_refused():
    thread, other = ThreadFactory(url=""), ThreadFactory(url="")
    borrowed = form_stamp(other)
    response = Client().post("/comments/post/", comment_form(thread, rendered_at=borrowed))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_expired_but_genuine_stamp_is_accepted():
    thread = ThreadFactory(url="")
    now = time.time()
    with pytest.MonkeyPatch.context() as mp:
        # Signed three days ago: the signature itself has expired, yet it is ours.
        mp.setattr(time, "time", lambda: now - 3 * 24 * 3600)
        old = form_timestamp_sign(time.time(), thread_id=thread.pk)
    response = Client().post("/comments/post/", comment_form(thread, rendered_at=old))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_the_rendered_form_carries_a_stamp_for_its_thread():
    thread = ThreadFactory(url="")
    html = Client().get(f"/comments/thread/{thread.pk}/").content.decode()
    stamp = re.search(r'name="rendered_at" value="([^"]+)"', html).group(1)
    assert form_timestamp_read(stamp, thread_id=thread.pk) is not None
    assert form_timestamp_read(stamp, thread_id=thread.pk + 1) is None
