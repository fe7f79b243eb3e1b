"""Staff find comments in the admin by text, author, status, thread and date."""

from __future__ import annotations

import pytest

from broadsheet.discussion.models import Comment
from broadsheet.discussion.tests.factories import ThreadFactory, UserFactory, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_comments_are_searchable_by_text_and_author(staff_client):
    thread = ThreadFactory()
    post(thread, "The harbour crane is rusting.", name="Marta Quay")
    post(thread, "Bus timetables are wrong.", name="Olek Stop", email="o@example.org")
    by_text = staff_client.get("/admin/discussion/comment/?q=crane").content.decode()
    assert "The harbour crane" in by_text and "Bus timetables" not in by_text
    by_author = staff_client.get("/admin/discussion/comment/?q=Olek").content.decode()
    assert "Bus timetables" in by_author and "The harbour crane" not in by_author


def test_comments_filter_by_status_and_thread(staff_client):
    first, second = ThreadFactory(), ThreadFactory()
    post(first, "In the first thread.")
    post(second, "In the second thread.", email="s@example.org")
    page = staff_client.get(f"/admin/discussion/comment/?thread__id__exact={first.pk}")
    html = page.content.decode()
    assert "In the first thread." in html and "In the second thread." not in html
    pending = staff_client.get("/admin/discussion/comment/?status__exact=pending").content
    assert b"In the first thread." not in pending
    assert staff_client.get("/admin/discussion/thread/").status_code == 200


def test_admin_status_change_keeps_counts_exact(staff_client):
    thread = ThreadFactory()
    comment = post(thread, "Moderate me.")
    data = {
        "thread": thread.pk,
        "parent": "",
        "root": "",
        "user": "",
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_url": "",
        "body": comment.body,
        "status": "spam",
        "created_at_0": comment.created_at.strftime("%Y-%m-%d"),
        "created_at_1": comment.created_at.strftime("%H:%M:%S"),
        "edited_at_0": "",
        "edited_at_1": "",
    }
    response = staff_client.post(f"/admin/discussion/comment/{comment.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    thread.refresh_from_db()
    assert Comment.objects.get(pk=comment.pk).status == "spam"
    assert thread.comment_count == 0
