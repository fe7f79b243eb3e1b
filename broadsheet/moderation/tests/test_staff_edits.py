"""Changing and removing bans, words, policies and training examples: checked, then audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from broadsheet.moderation.models import AuditEntry, Ban, ContextPolicy, TrainingExample, WordRule
from broadsheet.moderation.services import (
    ban_update,
    context_policy_set,
    context_policy_update,
    training_example_create,
    training_example_update,
    word_rule_set,
    word_rule_update,
)
from broadsheet.moderation.tests.factories import BanFactory, WordRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return get_user_model().objects.create_user(username="mod", password="x" * 12)


def last_audit() -> tuple:
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None
    return (entry.action, entry.actor, entry.object_key, entry.decision, entry.note)


def test_ban_update_keeps_what_it_is_not_given(moderator):
    ban = BanFactory(email="troll@example.org", ip_hash="abc123", reason="spam")

    ban = ban_update(ban=ban, actor=moderator, reason="spam run")

    ban.refresh_from_db()
    assert (ban.email, ban.ip_hash, ban.reason) == ("troll@example.org", "abc123", "spam run")
    assert last_audit() == (
        "ban_update",
        moderator,
        f"ban:{ban.pk}",
        "reject",
        "Ban on troll@example.org: reason spam → spam run",
    )


def test_ban_update_compares_with_the_stored_row_not_the_callers_copy(moderator):
    ban = BanFactory(email="troll@example.org", reason="spam")
    ban.reason = "edited on the form already"

    ban_update(ban=ban, actor=moderator, reason="spam run")

    assert last_audit()[-1] == "Ban on troll@example.org: reason spam → spam run"


def test_ban_update_refuses_to_leave_a_ban_without_a_target(moderator):
    ban = BanFactory(email="troll@example.org")

    with pytest.raises(ValueError, match="needs a user"):
        ban_update(ban=ban, actor=moderator, email="  ")

    assert Ban.objects.get().email == "troll@example.org"
    assert not AuditEntry.objects.exists()


def test_word_rule_set_on_a_listed_word_records_the_move(moderator):
    word_rule_set(word="gloopy", action="hold")

    rule = word_rule_set(word="Gloopy", action="reject", actor=moderator)

    assert last_audit() == (
        "word_rule_set",
        moderator,
        f"word:{rule.pk}",
        "reject",
        "Gloopy: word gloopy → Gloopy; action hold → reject",
    )


def test_word_rule_update_refuses_a_spelling_another_rule_has(moderator):
    WordRuleFactory(word="gloopy")
    other = WordRuleFactory(word="sloopy")

    with pytest.raises(ValueError, match="'gloopy' is already listed"):
        word_rule_update(rule=other, actor=moderator, word="GLOOPY")

    assert WordRule.objects.get(pk=other.pk).word == "sloopy"
    assert not AuditEntry.objects.exists()


def test_saving_a_word_unchanged_is_still_recorded(moderator):
    rule = WordRuleFactory(word="gloopy", action="hold")

    word_rule_update(rule=rule, actor=moderator, action="hold")

    assert last_audit() == (
        "word_rule_update",
        moderator,
        f"word:{rule.pk}",
        "hold",
        "gloopy: no change",
    )


def test_context_policy_update_renames_its_key_but_not_onto_another(moderator):
    context_policy_set(key="section:world", mode="pre")
    policy = context_policy_set(key="thread:42", mode="pre")

    with pytest.raises(ValueError, match="another policy already covers 'section:world'"):
        context_policy_update(policy=policy, actor=moderator, key="section:world")
    context_policy_update(policy=policy, actor=moderator, key="thread:43")

    assert sorted(ContextPolicy.objects.values_list("key", flat=True)) == [
        "section:world",
        "thread:43",
    ]
    assert last_audit() == (
        "policy_update",
        moderator,
        "thread:43",
        "pre",
        "thread:43: key thread:42 → thread:43",
    )


def test_training_examples_keep_one_per_object(moderator):
    training_example_create(text="Buy now", is_spam=True, object_key="comment:1", actor=moderator)
    other = training_example_create(text="Thanks", is_spam=False, actor=moderator)

    with pytest.raises(ValueError, match="'comment:1' already has a training example"):
        training_example_create(text="Again", is_spam=True, object_key="comment:1")
    with pytest.raises(ValueError, match="'comment:1' already has a training example"):
        training_example_update(example=other, object_key="comment:1")

    assert TrainingExample.objects.filter(object_key="comment:1").count() == 1
    assert last_audit() == ("training_example_create", moderator, f"training:{other.pk}", "ham", "")
