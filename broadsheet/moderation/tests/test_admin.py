"""Staff edit word lists, bans, policies and training data in the admin, each change audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts.roles import MODERATORS
from broadsheet.moderation.models import AuditEntry, Ban, ContextPolicy, TrainingExample, WordRule
from broadsheet.moderation.services import audit_log
from broadsheet.moderation.tests.factories import BanFactory, WordRuleFactory

pytestmark = pytest.mark.django_db

MODELS = ["wordrule", "ban", "contextpolicy", "trainingexample", "auditentry"]


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        username="chief", email="chief@example.org", password="x" * 12
    )
    client.force_login(admin)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_changelists_open(staff_client, model):
    response = staff_client.get(reverse(f"admin:moderation_{model}_changelist"))
    assert response.status_code == 200


def test_staff_add_a_suspect_word(staff_client):
    response = staff_client.post(
        reverse("admin:moderation_wordrule_add"),
        {"word": "blatherskite", "action": "hold", "note": "from the desk"},
    )
    assert response.status_code == 302
    assert WordRule.objects.get(word="blatherskite").action == "hold"


def test_audit_log_cannot_be_added_or_edited(staff_client):
    entry = audit_log(action="approve", object_key="comment:1")
    assert staff_client.get(reverse("admin:moderation_auditentry_add")).status_code == 403
    change = reverse("admin:moderation_auditentry_change", args=[entry.pk])
    response = staff_client.post(change, {"action": "tampered", "object_key": "comment:1"})
    entry.refresh_from_db()
    assert entry.action == "approve"
    assert response.status_code == 403  # the audit log is read-only, even for superusers
    assert AuditEntry.objects.count() == 1


def test_ban_without_a_target_gets_a_clear_error(staff_client):
    response = staff_client.post(
        reverse("admin:moderation_ban_add"),
        {"email": "", "ip_hash": "", "reason": "who?", "expires_at_0": "", "expires_at_1": ""},
    )
    assert response.status_code == 200
    assert "A ban needs a user, an email address or a hashed IP." in response.content.decode()


# Every staff change made in the admin goes through the services and leaves an audit entry.


@pytest.fixture
def moderator(django_user_model, settings):
    """A staff user whose only rights come from the Moderators group."""
    settings.TIME_ZONE = "UTC"
    call_command("roles_sync", stdout=StringIO())
    user = django_user_model.objects.create_user(
        username="desk", email="desk@example.org", password="x" * 12, is_staff=True
    )
    user.groups.add(Group.objects.get(name=MODERATORS))
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def audit_rows() -> list[tuple]:
    """Every audit entry as (action, actor's username, object key, decision, note), oldest first."""
    return [
        (e.action, e.actor.username if e.actor else None, e.object_key, e.decision, e.note)
        for e in AuditEntry.objects.select_related("actor").order_by("id")
    ]


def ban_form(**fields) -> dict[str, str]:
    """The ban change form's fields as the browser posts them, empty unless given."""
    data = {"user": "", "email": "", "ip_hash": "", "expires_at_0": "", "expires_at_1": ""}
    data["reason"] = ""
    data.update(fields)
    return data


def test_creating_a_ban_in_the_admin_is_audited(moderator_client, moderator):
    response = moderator_client.post(
        reverse("admin:moderation_ban_add"),
        ban_form(
            email=" Troll@Example.org ",
            expires_at_0="2030-01-02",
            expires_at_1="03:04:05",
            reason="spam run",
        ),
    )

    assert response.status_code == 302
    ban = Ban.objects.get()
    assert (ban.email, ban.reason, ban.created_by) == ("troll@example.org", "spam run", moderator)
    assert ban.expires_at == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert audit_rows() == [
        (
            "ban",
            "desk",
            f"ban:{ban.pk}",
            "reject",
            "Ban on troll@example.org until 2030-01-02 03:04. spam run",
        )
    ]


def test_changing_a_ban_in_the_admin_records_each_changed_field(moderator_client):
    ban = BanFactory(email="troll@example.org", reason="spam")

    response = moderator_client.post(
        reverse("admin:moderation_ban_change", args=[ban.pk]),
        ban_form(
            email="troll@example.org",
            expires_at_0="2030-01-02",
            expires_at_1="03:04:05",
            reason="spam run",
        ),
    )

    assert response.status_code == 302
    ban.refresh_from_db()
    assert (ban.reason, ban.expires_at) == ("spam run", datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert audit_rows() == [
        (
            "ban_update",
            "desk",
            f"ban:{ban.pk}",
            "reject",
            "Ban on troll@example.org until 2030-01-02 03:04: "
            "expires_at never → 2030-01-02 03:04:05 UTC; reason spam → spam run",
        )
    ]


def test_deleting_a_ban_in_the_admin_is_audited(moderator_client):
    ban = BanFactory(email="troll@example.org", reason="spam")

    response = moderator_client.post(
        reverse("admin:moderation_ban_delete", args=[ban.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Ban.objects.exists()
    assert audit_rows() == [
        ("ban_delete", "desk", f"ban:{ban.pk}", "", "Ban on troll@example.org. spam")
    ]


def test_deleting_bans_in_bulk_audits_each_one(moderator_client):
    first, second = BanFactory(email="one@example.org"), BanFactory(email="two@example.org")

    response = moderator_client.post(
        reverse("admin:moderation_ban_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Ban.objects.exists()
    assert sorted(audit_rows()) == [
        ("ban_delete", "desk", f"ban:{first.pk}", "", "Ban on one@example.org."),
        ("ban_delete", "desk", f"ban:{second.pk}", "", "Ban on two@example.org."),
    ]


def test_lifting_bans_from_the_list_ends_them_now_and_is_audited(moderator_client):
    active = BanFactory(email="one@example.org")
    ended = BanFactory(email="two@example.org", expires_at=timezone.now() - timedelta(days=1))
    before = timezone.now()

    response = moderator_client.post(
        reverse("admin:moderation_ban_changelist"),
        {"action": "lift", "_selected_action": [active.pk, ended.pk]},
    )

    assert response.status_code == 302
    active.refresh_from_db()
    assert before <= active.expires_at <= timezone.now()
    assert not active.is_active
    lifted = f"Ban on one@example.org until {active.expires_at:%Y-%m-%d %H:%M}"
    assert audit_rows() == [("unban", "desk", f"ban:{active.pk}", "", lifted)]


def test_adding_a_banned_word_in_the_admin_is_audited(moderator_client):
    response = moderator_client.post(
        reverse("admin:moderation_wordrule_add"),
        {"word": "  blather   skite ", "action": "reject", "note": "from the desk"},
    )

    assert response.status_code == 302
    rule = WordRule.objects.get(word__iexact="blather skite")
    assert (rule.word, rule.action, rule.note) == ("blather skite", "reject", "from the desk")
    assert audit_rows() == [("word_rule_set", "desk", f"word:{rule.pk}", "reject", "blather skite")]


def test_moving_a_word_to_another_list_in_the_admin_is_audited(moderator_client):
    rule = WordRuleFactory(word="gloopy", action=WordRule.Action.HOLD)

    response = moderator_client.post(
        reverse("admin:moderation_wordrule_change", args=[rule.pk]),
        {"word": "Gloopy", "action": "group", "note": "a people"},
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.word, rule.action, rule.note) == ("Gloopy", "group", "a people")
    assert audit_rows() == [
        (
            "word_rule_update",
            "desk",
            f"word:{rule.pk}",
            "group",
            "Gloopy: word gloopy → Gloopy; action hold → group; note — → a people",
        )
    ]


def test_changing_a_words_list_from_the_list_page_is_audited(moderator_client):
    rule = WordRuleFactory(word="gloopy", action=WordRule.Action.HOLD)

    response = moderator_client.post(
        reverse("admin:moderation_wordrule_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(rule.pk),
            "form-0-action": "reject",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.action == "reject"
    assert audit_rows() == [
        ("word_rule_update", "desk", f"word:{rule.pk}", "reject", "gloopy: action hold → reject")
    ]


def test_removing_a_banned_word_in_the_admin_is_audited(moderator_client):
    rule = WordRuleFactory(word="gloopy", action=WordRule.Action.REJECT)

    response = moderator_client.post(
        reverse("admin:moderation_wordrule_delete", args=[rule.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not WordRule.objects.filter(pk=rule.pk).exists()
    assert audit_rows() == [("word_rule_delete", "desk", f"word:{rule.pk}", "reject", "gloopy")]


def test_a_word_listed_in_another_case_is_refused_next_to_the_field(moderator_client):
    WordRuleFactory(word="gloopy", action=WordRule.Action.HOLD)

    response = moderator_client.post(
        reverse("admin:moderation_wordrule_add"), {"word": "GLOOPY", "action": "reject"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "word": ["'gloopy' is already listed (Suspect (hold for review))."]
    }
    listed = WordRule.objects.filter(word__iexact="gloopy").values_list("word", "action")
    assert list(listed) == [("gloopy", "hold")]
    assert audit_rows() == []


def test_context_policies_set_changed_and_removed_in_the_admin_are_audited(moderator_client):
    add = moderator_client.post(
        reverse("admin:moderation_contextpolicy_add"),
        {"key": "section:world", "mode": "pre", "note": "election week"},
    )
    policy = ContextPolicy.objects.get()
    change = moderator_client.post(
        reverse("admin:moderation_contextpolicy_change", args=[policy.pk]),
        {"key": "section:world", "mode": "post", "note": "election week"},
    )
    delete = moderator_client.post(
        reverse("admin:moderation_contextpolicy_delete", args=[policy.pk]), {"post": "yes"}
    )

    assert (add.status_code, change.status_code, delete.status_code) == (302, 302, 302)
    assert not ContextPolicy.objects.exists()
    assert audit_rows() == [
        ("policy_set", "desk", "section:world", "pre", "election week"),
        ("policy_update", "desk", "section:world", "post", "section:world: mode pre → post"),
        ("policy_delete", "desk", "section:world", "", "section:world: post"),
    ]


def test_training_examples_added_changed_and_removed_in_the_admin_are_audited(
    moderator_client,
):
    add = moderator_client.post(
        reverse("admin:moderation_trainingexample_add"),
        {"text": "Cheap watches here", "is_spam": "on", "object_key": ""},
    )
    example = TrainingExample.objects.get()
    change = moderator_client.post(
        reverse("admin:moderation_trainingexample_change", args=[example.pk]),
        {"text": "Cheap watches here", "object_key": "comment:7"},
    )
    example.refresh_from_db()
    assert (example.is_spam, example.object_key) == (False, "comment:7")
    delete = moderator_client.post(
        reverse("admin:moderation_trainingexample_delete", args=[example.pk]), {"post": "yes"}
    )

    assert (add.status_code, change.status_code, delete.status_code) == (302, 302, 302)
    key = f"training:{example.pk}"
    assert audit_rows() == [
        ("training_example_create", "desk", key, "spam", ""),
        (
            "training_example_update",
            "desk",
            key,
            "ham",
            f"example #{example.pk}: is_spam spam → ham; object_key — → comment:7",
        ),
        ("training_example_delete", "desk", key, "ham", "Cheap watches here"),
    ]


def test_staff_without_moderation_rights_cannot_ban_and_nothing_is_written(
    client, django_user_model
):
    clerk = django_user_model.objects.create_user(username="clerk", is_staff=True)
    client.force_login(clerk)

    response = client.post(reverse("admin:moderation_ban_add"), ban_form(email="a@example.org"))

    assert response.status_code == 403
    assert not Ban.objects.exists()
    assert audit_rows() == []
