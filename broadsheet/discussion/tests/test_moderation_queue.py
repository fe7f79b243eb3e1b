"""The staff queue: moderators decide, everything is audited, editors and readers are refused."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from broadsheet.discussion import pages, services
from broadsheet.discussion.models import Comment
from broadsheet.discussion.selectors import moderation_queue, queue_counts, thread_page
from broadsheet.discussion.tests.factories import (
    ThreadFactory,
    UserFactory,
    editor,
    moderator,
    post,
)
from broadsheet.moderation.models import AuditEntry, Ban, TrainingExample
from broadsheet.moderation.selectors import ban_active_for

pytestmark = pytest.mark.django_db

# A suspect word in the default lists: the referee holds it for a moderator.
HELD_TEXT = "Only an idiot would build the bridge there."


def held(thread=None, body=HELD_TEXT, **kwargs) -> Comment:
    comment = post(thread or ThreadFactory.create(), body, **kwargs)
    assert comment.status == Comment.Status.PENDING, comment.verdict
    return comment


def audit(comment: Comment) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_key=f"comment:{comment.pk}").order_by("id"))


# Services -------------------------------------------------------------------------------------


def test_approving_a_held_comment_publishes_it_counts_it_and_audits_who_and_why():
    mod = moderator()
    comment = held()
    services.comment_moderate(comment=comment, action="approve", actor=mod, note="Fair insult")

    comment.refresh_from_db()
    comment.thread.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.thread.comment_count == 1
    entry = audit(comment)[-1]
    assert (entry.action, entry.actor, entry.decision) == ("approve", mod, "approved")
    assert entry.note == "Fair insult (was pending)."
    assert entry.created_at is not None


def test_reject_keeps_it_off_the_page_and_spam_teaches_the_model():
    mod = moderator()
    thread = ThreadFactory()
    rejected, spam, approved = held(thread), held(thread, "Click here, idiot."), held(thread)
    services.comment_moderate(comment=rejected, action="reject", actor=mod)
    services.comment_moderate(comment=spam, action="spam", actor=mod)
    services.comment_moderate(comment=approved, action="approve", actor=mod)

    examples = dict(TrainingExample.objects.values_list("object_key", "is_spam"))
    assert examples == {f"comment:{spam.pk}": True, f"comment:{approved.pk}": False}
    assert [n.comment.pk for n in thread_page(thread=thread).nodes] == [approved.pk]
    assert {e.action for e in AuditEntry.objects.filter(actor=mod)} == {
        "approve",
        "reject",
        "spam",
    }


def test_spam_model_retrains_after_commit_once_enough_decisions_arrived(
    settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_SPAM_MIN_EXAMPLES = 2
    mod = moderator()
    thread = ThreadFactory()
    first, second = held(thread), held(thread, "Earn money online, idiot.")
    services.comment_moderate(comment=first, action="approve", actor=mod)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(comment=second, action="spam", actor=mod)
    from broadsheet.moderation.models import SpamModel

    # Immediate tasks in tests: the retrain ran once the decision was committed.
    assert SpamModel.objects.count() == 1


def test_editors_readers_and_strangers_may_not_moderate():
    comment = held()
    for actor in (editor(), UserFactory(), None):
        with pytest.raises(PermissionDenied):
            services.comment_moderate(comment=comment, action="approve", actor=actor)
        with pytest.raises(PermissionDenied):
            services.comment_feature(comment=comment, actor=actor)
        with pytest.raises(PermissionDenied):
            services.comment_author_ban(comment=comment, actor=actor, duration="1d")
        with pytest.raises(PermissionDenied):
            services.comments_moderate(comment_ids=[comment.pk], action="spam", actor=actor)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert not Ban.objects.exists()


def test_ban_the_author_for_seven_days_by_email_and_address_is_audited():
    mod = moderator()
    comment = held(email="troll@example.org")
    ban = services.comment_author_ban(
        comment=comment, actor=mod, duration="7d", targets=["email", "ip"], note="Repeat abuse"
    )
    assert ban.email == "troll@example.org" and ban.ip_hash == comment.ip_hash
    days = (ban.expires_at - ban.created_at).total_seconds() / 86400
    assert 6.99 < days < 7.01
    assert ban_active_for(user_id=None, email="TROLL@example.org") == ban
    entry = audit(comment)[-1]
    assert (entry.action, entry.actor, entry.note.endswith("Repeat abuse")) == ("ban", mod, True)
    # The referee now refuses the banned author.
    later = post(comment.thread, "Trying again.", email="troll@example.org")
    assert later.status == Comment.Status.REJECTED


def test_permanent_ban_of_an_account_and_bad_durations():
    mod = moderator()
    reader = UserFactory()
    comment = services.comment_post(thread=ThreadFactory(), body=HELD_TEXT, user=reader).comment
    ban = services.comment_author_ban(
        comment=comment, actor=mod, duration="permanent", targets=["user"]
    )
    assert ban.user == reader and ban.expires_at is None
    with pytest.raises(ValidationError) as exc:
        services.comment_author_ban(comment=comment, actor=mod, duration="2h", targets=[])
    assert set(exc.value.message_dict) == {"duration", "targets"}


def test_feature_and_unfeature_a_published_comment():
    mod = moderator()
    thread = ThreadFactory()
    first = post(thread, "First comment.")
    best = post(thread, "The most useful comment of all.")
    with pytest.raises(ValidationError):
        services.comment_feature(comment=held(thread), actor=mod)
    services.comment_feature(comment=best, actor=mod, note="Adds context")

    page = thread_page(thread=thread)
    assert [c.pk for c in page.featured] == [best.pk]
    assert [n.comment.pk for n in page.nodes][:2] == [first.pk, best.pk]
    services.comment_feature(comment=best, actor=mod, featured=False)
    assert thread_page(thread=thread).featured == []
    assert [e.action for e in audit(best)][-2:] == ["feature", "unfeature"]


def test_bulk_action_decides_every_selected_comment_in_one_go():
    mod = moderator()
    thread = ThreadFactory()
    comments = [held(thread, f"{HELD_TEXT} Number {n}.") for n in range(3)]
    done = services.comments_moderate(
        comment_ids=[c.pk for c in comments[:2]], action="reject", actor=mod, note="Bulk"
    )
    assert len(done) == 2
    statuses = [Comment.objects.get(pk=c.pk).status for c in comments]
    assert statuses == ["rejected", "rejected", "pending"]
    with pytest.raises(ValidationError):
        services.comments_moderate(comment_ids=[], action="reject", actor=mod)


# The queue's reads ----------------------------------------------------------------------------


def test_tabs_list_and_count_held_reported_refused_and_all(settings):
    settings.COMMENT_REPORTS_TO_HOLD = 1
    mod = moderator()
    thread = ThreadFactory()
    pending = held(thread)
    reported = post(thread, "Readers object.")
    services.comment_report(comment=reported, reporter_key="r:1", reason="abuse")
    refused = held(thread, f"{HELD_TEXT} Again.")
    services.comment_moderate(comment=refused, action="spam", actor=mod)
    post(thread, "Fine and published.")

    assert queue_counts() == {
        "pending": 1,
        "reported": 1,
        "rejected": 1,
        "imported": 0,
        "all": 4,
    }
    assert [i.comment.pk for i in moderation_queue(tab="pending").items] == [pending.pk]
    item = moderation_queue(tab="reported").items[0]
    assert item.comment.pk == reported.pk and item.report_reasons == [
        ("Abusive, hateful or threatening", 1)
    ]
    assert [i.comment.pk for i in moderation_queue(tab="rejected").items] == [refused.pk]
    assert len(moderation_queue(tab="all").items) == 4
    assert moderation_queue(tab="nonsense").tab == "pending"


def test_item_shows_reasons_scores_context_and_the_authors_history():
    mod = moderator()
    thread = ThreadFactory(title="Bridge story")
    parent = post(thread, "The council voted on Tuesday.", email="someone@example.org")
    for n in range(2):
        post(thread, f"Earlier approved comment {n}.", email="repeat@example.org")
    old = held(thread, f"{HELD_TEXT} Old.", email="repeat@example.org")
    services.comment_moderate(comment=old, action="reject", actor=mod)
    reply = held(thread, HELD_TEXT, email="REPEAT@example.org", parent=parent)

    item = moderation_queue(tab="pending").items[0]
    assert item.comment.pk == reply.pk
    assert (item.approved_count, item.rejected_count) == (2, 1)
    assert item.comment.parent.body == "The council voted on Tuesday."
    held_by = [(r["rule"], r["decision"]) for r in item.reasons if r["decision"] == "hold"]
    assert held_by[0] == ("words", "hold")
    assert ("coldstart", "hold") in held_by
    assert item.reasons[0]["message"] == "Suspect words: idiot."
    assert item.reasons[0]["category"] == "insult"
    assert item.scores and item.scores == sorted(item.scores, key=lambda kv: -kv[1])
    assert pages.thread_page_url(item.comment.thread) == thread.url


@pytest.mark.parametrize("size", [3, 40])
def test_queue_costs_a_fixed_number_of_queries(size, django_assert_num_queries):
    thread = ThreadFactory()
    parent = post(thread, "Parent.")
    signed = UserFactory()
    for n in range(size):
        if n % 2:
            services.comment_post(
                thread=thread, body=f"{HELD_TEXT} {n}", user=signed, parent=parent, ip=f"10.9.0.{n}"
            )
        else:
            held(thread, f"{HELD_TEXT} {n}", email=f"guest{n}@example.org", parent=parent)
    # Counts, the page, its open reports, then history for accounts and for guests.
    with django_assert_num_queries(5):
        page = moderation_queue(tab="pending")
        for item in page.items:
            c = item.comment
            assert c.display_name and c.thread.title == thread.title
            assert c.parent.display_name == "Ada Reader"
            assert item.reasons[0] == {
                "rule": "words",
                "decision": "hold",
                "message": "Suspect words: idiot.",
                "score": None,
                "category": "insult",
                # "idiot" in "Only an idiot would build the bridge there. N"
                "spans": [[8, 13]],
            }
            assert c.is_staff_comment is False and item.reports == []


# Through HTTP ---------------------------------------------------------------------------------


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_queue_page_sends_strangers_to_sign_in_and_refuses_editors():
    response = Client().get("/moderation/?tab=reported")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/moderation/%3Ftab%3Dreported"
    assert signed_in(editor()).get("/moderation/").status_code == 403
    assert signed_in(UserFactory()).get("/moderation/").status_code == 403


def test_queue_page_shows_tabs_with_counts_and_each_item_in_context():
    client = signed_in(moderator())
    thread = ThreadFactory(title="Harbour bridge")
    comment = held(thread, "Only an idiot would build it <b>there</b>.")

    response = client.get("/moderation/")
    html = response.content.decode()
    assert response.status_code == 200
    tabs = re.findall(r'data-tab="(\w+)">([^<]+) <span class="queue__count">(\d+)</span>', html)
    assert tabs == [
        ("pending", "Pending", "1"),
        ("reported", "Reported", "0"),
        ("rejected", "Rejected/Spam", "0"),
        ("imported", "Review imported", "0"),
        ("all", "All", "1"),
    ]
    assert f'id="queue-item-{comment.pk}"' in html
    assert f'href="{thread.url}">Harbour bridge</a>' in html
    assert "approved 0, rejected 0" in html
    assert "<b>there</b>" not in html  # the reader's text is sanitized, never raw
    assert 'data-key="a"' in html and "<kbd>j</kbd>" in html
    assert "ada@example.org" not in html  # no emails on pages, staff pages included
    # The site header shows moderators the waiting count.
    assert re.search(r'id="moderation-link">Moderation <span class="queue__count">1<', html)


def test_header_has_no_moderation_link_for_readers(client):
    thread = ThreadFactory(url="")
    html = client.get(f"/comments/thread/{thread.pk}/").content.decode()
    assert "moderation-link" not in html
    html = signed_in(editor()).get(f"/comments/thread/{thread.pk}/").content.decode()
    assert "moderation-link" not in html


def test_one_click_approve_from_the_queue_redirects_back_with_a_message():
    client = signed_in(moderator())
    comment = held()
    response = client.post(
        "/moderation/act/",
        {"act": f"approve:{comment.pk}", f"note-{comment.pk}": "Looks fine", "tab": "pending"},
    )
    assert response.status_code == 303 and response["Location"] == "/moderation/?tab=pending"
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert audit(comment)[-1].note == "Looks fine (was pending)."
    page = client.get(response["Location"]).content.decode()
    assert f"Approved comment {comment.pk}." in page


def test_bulk_spam_from_the_queue_page():
    client = signed_in(moderator())
    thread = ThreadFactory()
    chosen = [held(thread, f"{HELD_TEXT} {n}") for n in range(2)]
    left = held(thread, f"{HELD_TEXT} left")
    client.post(
        "/moderation/act/",
        {"bulk": "spam", "ids": [c.pk for c in chosen], "note": "Campaign", "tab": "pending"},
    )
    assert [Comment.objects.get(pk=c.pk).status for c in chosen] == ["spam", "spam"]
    assert Comment.objects.get(pk=left.pk).status == "pending"
    html = client.get("/moderation/?tab=rejected").content.decode()
    assert 'data-tab="rejected">Rejected/Spam <span class="queue__count">2<' in html


def test_ban_feature_and_errors_from_the_queue_page():
    client = signed_in(moderator())
    comment = post(ThreadFactory(), "A published comment.", email="who@example.org")
    client.post("/moderation/act/", {"act": f"feature:{comment.pk}", "tab": "all"})
    comment.refresh_from_db()
    assert comment.is_featured
    client.post(
        "/moderation/act/",
        {
            "act": f"ban:{comment.pk}",
            f"ban-duration-{comment.pk}": "30d",
            f"ban-target-{comment.pk}": ["email"],
            "tab": "all",
        },
    )
    assert Ban.objects.get().email == "who@example.org"
    response = client.post("/moderation/act/", {"bulk": "approve", "tab": "all"}, follow=True)
    assert "Select at least one comment." in response.content.decode()


def test_queue_actions_need_the_csrf_token_and_the_permission():
    comment = held()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator())
    assert strict.post("/moderation/act/", {"act": f"approve:{comment.pk}"}).status_code == 403
    assert (
        signed_in(editor()).post("/moderation/act/", {"act": f"approve:{comment.pk}"}).status_code
        == 403
    )
    assert Client().post("/moderation/act/", {"act": f"approve:{comment.pk}"}).status_code == 403
    assert Client().get("/moderation/act/").status_code == 405
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_queue_page_query_count_does_not_grow_with_the_queue(django_assert_max_num_queries):
    client = signed_in(moderator())
    thread = ThreadFactory()
    held(thread, f"{HELD_TEXT} first")
    client.get("/moderation/")  # warm: session, permissions, content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/moderation/")
    for n in range(30):
        held(thread, f"{HELD_TEXT} {n}", email=f"g{n}@example.org")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/moderation/").status_code == 200


def test_every_posted_and_edited_comment_has_its_verdict_in_the_audit_log():
    from broadsheet.discussion.security import comment_token

    comment = post(ThreadFactory(), "A calm first version.")
    services.comment_edit(
        comment=comment, body="You idiot, a second version.", token=comment_token(comment.pk)
    )
    entries = audit(comment)
    assert [(e.action, e.decision) for e in entries] == [("judged", "allow"), ("judged", "hold")]
    assert entries[1].note == "edited"
    assert any(r["decision"] == "hold" for r in entries[1].reasons)
