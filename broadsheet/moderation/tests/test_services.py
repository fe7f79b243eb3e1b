"""Audit log, verdict records, bans, word lists and policies through their services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.moderation import selectors
from broadsheet.moderation.judge import judge
from broadsheet.moderation.models import AuditEntry, Ban, WordRule
from broadsheet.moderation.services import (
    audit_log,
    ban_create,
    ban_lift,
    context_policy_set,
    verdict_record,
    word_rule_delete,
    word_rule_set,
)
from broadsheet.moderation.tests.factories import submission
from broadsheet.moderation.verdicts import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_user(username="mod", password="x" * 12)


def test_verdict_is_recorded_with_every_reason_and_score(moderator):
    verdict = judge(submission("You stupid idiot.", honeypot="bot"))
    entry = verdict_record(object_key="comment:12", verdict=verdict)
    entry.refresh_from_db()
    assert entry.action == "judged" and entry.actor is None
    assert entry.decision == "reject"
    assert {r["rule"] for r in entry.reasons} >= {"honeypot", "words", "toxicity"}
    assert entry.scores["toxic"] > 0.5


def test_audit_log_records_who_what_and_why(moderator):
    audit_log(action="approve", actor=moderator, object_key="comment:3", note="context given")
    [entry] = selectors.audit_entries_for(object_key="comment:3")
    assert (entry.actor, entry.action, entry.note) == (moderator, "approve", "context given")
    assert entry.created_at <= timezone.now()


def test_audit_log_needs_an_action():
    with pytest.raises(ValueError):
        audit_log(action=" ", object_key="comment:1")


def test_ban_for_a_duration_then_lifted(moderator):
    ban = ban_create(
        actor=moderator,
        email=" Spammer@Example.org ",
        duration=timedelta(days=7),
        reason="spam run",
        object_key="comment:5",
    )
    assert ban.email == "spammer@example.org"
    assert ban.created_by == moderator
    assert judge(submission(author_email="spammer@example.org")).decision == Decision.REJECT
    assert AuditEntry.objects.filter(action="ban", object_key="comment:5").exists()
    ban_lift(ban=ban, actor=moderator)
    assert judge(submission(author_email="spammer@example.org")).decision == Decision.ALLOW
    assert AuditEntry.objects.filter(action="unban").exists()


def test_ban_needs_a_target_and_a_positive_duration():
    with pytest.raises(ValueError, match="needs a user"):
        ban_create(reason="nobody")
    with pytest.raises(ValueError, match="positive"):
        ban_create(email="a@example.org", duration=timedelta(0))
    assert not Ban.objects.exists()


def test_active_ban_selector():
    ban_create(ip_hash="abc", expires_at=timezone.now() + timedelta(hours=1))
    assert selectors.ban_active_for(user_id=None, ip_hash="abc") is not None
    assert selectors.ban_active_for(user_id=None, ip_hash="xyz") is None
    assert selectors.ban_active_for(user_id=None) is None


def test_word_rule_set_moves_a_word_between_lists_and_judge_sees_it():
    word_rule_set(word="Gloopy", action="hold")
    assert judge(submission("so gloopy")).decision == Decision.HOLD
    rule = word_rule_set(word="gloopy", action="reject")
    assert WordRule.objects.filter(word__iexact="gloopy").count() == 1
    assert judge(submission("so gloopy")).decision == Decision.REJECT
    word_rule_delete(rule=rule)
    assert judge(submission("so gloopy")).decision == Decision.ALLOW


def test_word_rule_set_refuses_bad_input():
    with pytest.raises(ValueError):
        word_rule_set(word="  ", action="hold")
    with pytest.raises(ValueError):
        word_rule_set(word="fine", action="maybe")


def test_context_policy_set():
    context_policy_set(key="thread:42", mode="pre")
    assert judge(submission(context_keys=("thread:42",))).decision == Decision.HOLD
    with pytest.raises(ValueError):
        context_policy_set(key="thread:42", mode="sometimes")
