"""Staff find comments in the admin by text, author, status, thread and date."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.discussion.models import Comment
from broadsheet.discussion.tests.factories import ThreadFactory, UserFactory, editor, post

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


def _change_data(comment, **changes) -> dict:
    data = {
        "user": "",
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_url": "",
        "body": comment.body,
        "status": comment.status,
        "created_at_0": comment.created_at.strftime("%Y-%m-%d"),
        "created_at_1": comment.created_at.strftime("%H:%M:%S"),
        "edited_at_0": "",
        "edited_at_1": "",
    }
    data.update(changes)
    return data


def test_admin_delete_keeps_replies_under_a_tombstone(staff_client):
    thread = ThreadFactory()
    parent = post(thread, "Has a reply.")
    reply = post(thread, "The reply.", parent=parent, email="r@example.org")
    response = staff_client.post(f"/admin/discussion/comment/{parent.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.status == Comment.Status.DELETED
    assert Comment.objects.filter(pk=reply.pk, status=Comment.Status.APPROVED).exists()
    thread.refresh_from_db()
    assert thread.comment_count == 1 and thread.top_level_count == 1


def test_admin_offers_no_bulk_delete_action(staff_client):
    post(ThreadFactory(), "Listed.")
    page = staff_client.get("/admin/discussion/comment/").content.decode()
    assert "delete_selected" not in page


def test_admin_status_change_is_audited_under_the_staff_member(client):
    from broadsheet.moderation.models import AuditEntry

    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    comment = post(ThreadFactory(), "Judge me in the admin.")
    response = client.post(
        f"/admin/discussion/comment/{comment.pk}/change/",
        _change_data(comment, status="rejected"),
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(object_key=f"comment:{comment.pk}", action="reject").get()
    assert entry.actor_id == staff.pk


def test_admin_cannot_move_a_comment_in_the_tree(staff_client):
    first, other = ThreadFactory(), ThreadFactory()
    comment = post(first, "Stays where it is.")
    data = _change_data(comment, thread=other.pk, path="X", depth=5)
    response = staff_client.post(f"/admin/discussion/comment/{comment.pk}/change/", data)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.thread_id == first.pk and comment.depth == 0
    assert comment.path.isdigit()


def test_a_staff_rewrite_in_the_admin_is_judged_again_marked_edited_and_audited(client):
    from broadsheet.moderation.models import AuditEntry
    from broadsheet.moderation.services import word_rule_set

    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    word_rule_set(word="grubworm", action="hold")
    comment = post(ThreadFactory(), "A civil remark.")
    url = f"/admin/discussion/comment/{comment.pk}/change/"
    assert (
        client.post(url, _change_data(comment, body="A civil remark, *corrected*.")).status_code
        == 302
    )
    comment.refresh_from_db()
    assert comment.body_html == "<p>A civil remark, <em>corrected</em>.</p>\n"
    assert comment.status == Comment.Status.APPROVED and comment.edited_at is not None
    entry = AuditEntry.objects.get(object_key=f"comment:{comment.pk}", action="edit")
    assert (entry.actor_id, entry.note) == (staff.pk, "Staff changed the comment's text.")
    page = Client().get(f"/comments/thread/{comment.thread_id}/").content.decode()
    assert '<span class="comment__edited">(edited)</span>' in page

    # The referee reads the new words: a published comment rewritten abusive goes back to wait.
    assert (
        client.post(url, _change_data(comment, body="Still civil, you grubworm.")).status_code
        == 302
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert [r["rule"] for r in comment.verdict["reasons"] if r["decision"] == "hold"] == ["words"]


def test_an_editor_sees_comments_in_the_admin_but_cannot_change_them(client):
    client.force_login(editor())
    comment = post(ThreadFactory(), "Read-only for editors.")
    response = client.post(
        f"/admin/discussion/comment/{comment.pk}/change/", _change_data(comment, body="Changed.")
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Read-only for editors."


def test_closing_a_thread_in_the_admin_is_a_moderators_closure_and_audited(client):
    from broadsheet.moderation.models import AuditEntry

    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    thread = ThreadFactory()
    response = client.post(
        f"/admin/discussion/thread/{thread.pk}/change/",
        {"is_closed": "on", "closes_at_0": "", "closes_at_1": ""},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert (thread.is_closed, thread.closed_by_page) == (True, False)
    entry = AuditEntry.objects.get(object_key=f"thread:{thread.pk}", action="close")
    assert entry.actor_id == staff.pk


def test_setting_the_deleted_status_in_the_admin_keeps_the_row_as_a_tombstone(staff_client):
    from broadsheet.moderation.models import AuditEntry

    comment = post(ThreadFactory(), "Withdrawn by its author's request.")
    url = f"/admin/discussion/comment/{comment.pk}/change/"
    assert staff_client.post(url, _change_data(comment, status="deleted")).status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.body_html) == (Comment.Status.DELETED, "")
    assert comment.body == "Withdrawn by its author's request."  # kept for the record
    entry = AuditEntry.objects.get(object_key=f"comment:{comment.pk}", action="status")
    assert (entry.decision, entry.note) == ("deleted", "Changed in the admin.")


def test_approving_and_featuring_a_held_comment_in_one_save_does_both(staff_client, referee):
    referee.hold()
    comment = post(ThreadFactory(), "Worth a place at the top.")
    referee.allow()
    data = _change_data(comment, status="approved", is_featured="on")
    response = staff_client.post(f"/admin/discussion/comment/{comment.pk}/change/", data)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.is_featured) == (Comment.Status.APPROVED, True)


def test_a_refused_change_in_the_admin_changes_nothing_and_says_so(staff_client):
    comment = post(ThreadFactory(), "Original words.")
    data = _change_data(comment, body="New words.", status="rejected", is_featured="on")
    response = staff_client.post(
        f"/admin/discussion/comment/{comment.pk}/change/", data, follow=True
    )
    html = response.content.decode()
    assert "The comment was not changed: Only a published comment can be featured." in html
    assert "was changed successfully" not in html
    comment.refresh_from_db()
    assert (comment.body, comment.status, comment.is_featured, comment.edited_at) == (
        "Original words.",
        Comment.Status.APPROVED,
        False,
        None,
    )


def test_moving_only_the_closing_time_keeps_who_closed_the_thread(staff_client):
    from broadsheet.discussion import services
    from broadsheet.moderation.models import AuditEntry

    thread = ThreadFactory()
    # The page turned its comments off: the page's closure, which turning them on undoes.
    services.thread_sync(
        key=thread.key, url=thread.url, title=thread.title, published_at=None,
        comments_enabled=False, visible=True,
    )  # fmt: skip
    response = staff_client.post(
        f"/admin/discussion/thread/{thread.pk}/change/",
        {"is_closed": "on", "closes_at_0": "2031-01-02", "closes_at_1": "03:04:00"},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert (thread.is_closed, thread.closed_by_page) == (True, True)
    assert thread.closes_at is not None and thread.closes_at.year == 2031
    entry = AuditEntry.objects.get(object_key=f"thread:{thread.pk}", action="close_schedule")
    assert entry.note == "Closes by itself at 2031-01-02 03:04 UTC."
    assert not AuditEntry.objects.filter(object_key=f"thread:{thread.pk}", action="close").exists()
