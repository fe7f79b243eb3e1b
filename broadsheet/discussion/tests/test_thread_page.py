"""The discussion's own page, for a thread whose page is elsewhere: pages, placeholders, closing."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment
from broadsheet.discussion.tests.factories import ThreadFactory, comment_form, post

pytestmark = pytest.mark.django_db


def test_standalone_thread_page_for_an_external_page(client):
    thread = ThreadFactory(url="https://other.example.com/post/1", title="Elsewhere")
    post(thread, "From the widget.")
    response = client.get(f"/comments/thread/{thread.pk}/")
    assert response.status_code == 200
    assert "One response to “Elsewhere”" in response.content.decode()
    posted = client.post("/comments/post/", comment_form(thread, body="Another."))
    another = Comment.objects.get(body="Another.")
    assert posted["Location"] == f"/comments/thread/{thread.pk}/#comment-{another.pk}"


def test_closed_thread_shows_no_form_and_refuses_posts(client):
    thread = ThreadFactory(is_closed=True)
    page = client.get(f"/comments/thread/{thread.pk}/").content.decode()
    assert "Comments are closed." in page and 'id="commentform"' not in page
    response = client.post("/comments/post/", comment_form(thread))
    assert "Comments are closed on this page." in response.content.decode()


def test_form_for_an_unknown_thread_is_a_client_error(client):
    assert client.post("/comments/post/", {"thread": "x"}).status_code == 400
    assert client.post("/comments/post/", {"thread": "999999"}).status_code == 404


def test_page_out_of_range_shows_the_last_page(referee):
    referee.allow()  # about paging, whatever the referee thinks of a two-word comment
    thread = ThreadFactory(url="")
    post(thread, "Only comment.")
    for page in ("999999", "-1", "abc"):
        response = Client().get(f"/comments/thread/{thread.pk}/", {"page": page, "sort": "zzz"})
        assert response.status_code == 200 and "Only comment." in response.content.decode()


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
