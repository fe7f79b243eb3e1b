"""The word lists (banned, suspect, group words): add, move, rename, remove."""

from __future__ import annotations

from django.db import transaction

from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.moderation.models import WordRule
from broadsheet.moderation.normalize import normalize
from broadsheet.moderation.services.audit import Actor, audit_log, changes_note


def _fields(rule: WordRule) -> dict[str, str]:
    return {"word": rule.word, "action": rule.action, "note": rule.note}


def _clean_action(action: str) -> str:
    if action not in WordRule.Action.values:
        raise ValueError(f"action must be one of {', '.join(WordRule.Action.values)}")
    return action


def word_rule_check(*, word: str, rule: WordRule | None = None) -> str:
    """Return the word as it would be stored; refuse an empty one or one listed already."""
    word = " ".join(word.split())
    if not normalize(word):
        raise ValueError("the word is empty once normalized")
    # Matching ignores case, so "Gloopy" and "gloopy" on two lists could never both apply.
    taken = WordRule.objects.filter(word__iexact=word)
    if rule is not None:
        taken = taken.exclude(pk=rule.pk)
    existing = taken.first()
    if existing is not None:
        raise ValueError(f"{existing.word!r} is already listed ({existing.get_action_display()})")
    return word


@transaction.atomic
def word_rule_set(*, word: str, action: str, actor: Actor = None, note: str = "") -> WordRule:
    """Add a word to a list or move it to another list."""
    word = " ".join(word.split())
    if not normalize(word):
        raise ValueError("the word is empty once normalized")
    _clean_action(action)
    existing = WordRule.objects.select_for_update().filter(word__iexact=word).first()
    before = {} if existing is None else _fields(existing)
    rule, created = WordRule.objects.update_or_create(
        word__iexact=word, defaults={"word": word, "action": action, "note": note}
    )
    audit_log(
        action="word_rule_set",
        actor=actor,
        object_key=f"word:{rule.pk}",
        decision=action,
        note=word if created else changes_note(word, before=before, after=_fields(rule)),
    )
    return rule


@transaction.atomic
def word_rule_update(
    *,
    rule: WordRule,
    actor: Actor = None,
    word: str | Unchanged = KEEP,
    action: str | Unchanged = KEEP,
    note: str | Unchanged = KEEP,
) -> WordRule:
    """Respell a listed word, move it to another list or change its note."""
    stored = WordRule.objects.select_for_update().get(pk=rule.pk)
    before = _fields(stored)
    if word is not KEEP:
        stored.word = word_rule_check(word=word, rule=stored)
    if action is not KEEP:
        stored.action = _clean_action(action)
    if note is not KEEP:
        stored.note = note
    stored.save()
    audit_log(
        action="word_rule_update",
        actor=actor,
        object_key=f"word:{stored.pk}",
        decision=stored.action,
        note=changes_note(stored.word, before=before, after=_fields(stored)),
    )
    return stored


@transaction.atomic
def word_rule_delete(*, rule: WordRule, actor: Actor = None) -> None:
    """Remove a word from the lists."""
    audit_log(
        action="word_rule_delete",
        actor=actor,
        object_key=f"word:{rule.pk}",
        decision=rule.action,
        note=rule.word,
    )
    rule.delete()
