"""Staff edit word lists, bans, policies and training data in the admin; the audit log is fixed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from broadsheet.moderation.models import AuditEntry, WordRule
from broadsheet.moderation.services import audit_log

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
    assert response.status_code in (200, 403)
    assert AuditEntry.objects.count() == 1


def test_ban_without_a_target_gets_a_clear_error(staff_client):
    response = staff_client.post(
        reverse("admin:moderation_ban_add"),
        {"email": "", "ip_hash": "", "reason": "who?", "expires_at_0": "", "expires_at_1": ""},
    )
    assert response.status_code == 200
    assert "A ban needs a user, an email address or a hashed IP." in response.content.decode()
