"""Every write the moderation app makes: audit entries, bans, word rules, training data, models."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from broadsheet.moderation import conf, spam
from broadsheet.moderation.models import (
    AuditEntry,
    Ban,
    ContextPolicy,
    SpamModel,
    TrainingExample,
    WordRule,
)
from broadsheet.moderation.normalize import normalize
from broadsheet.moderation.verdicts import Reason, Verdict

log = logging.getLogger(__name__)
# Enough for a site's history while keeping a retrain to seconds.
MAX_TRAINING_EXAMPLES = 50_000


def _reasons_json(reasons: Iterable[Reason | dict]) -> list[dict]:
    return [r.as_dict() if isinstance(r, Reason) else dict(r) for r in reasons]


def audit_log(
    *,
    action: str,
    object_key: str,
    actor=None,
    decision: str = "",
    reasons: Iterable[Reason | dict] = (),
    scores: dict[str, float] | None = None,
    note: str = "",
) -> AuditEntry:
    """Record who did what to which object, and why."""
    if not action.strip():
        raise ValueError("an audit entry needs an action")
    return AuditEntry.objects.create(
        action=action.strip(),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        object_key=object_key,
        decision=str(decision),
        reasons=_reasons_json(reasons),
        scores=dict(scores or {}),
        note=note,
    )


def verdict_record(*, object_key: str, verdict: Verdict, actor=None, note: str = "") -> AuditEntry:
    """Record the referee's verdict on an object in the audit log."""
    return audit_log(
        action="judged",
        object_key=object_key,
        actor=actor,
        decision=verdict.decision.value,
        reasons=verdict.reasons,
        scores=verdict.scores,
        note=note,
    )


@transaction.atomic
def ban_create(
    *,
    actor=None,
    user=None,
    email: str = "",
    ip_hash: str = "",
    duration: timedelta | None = None,
    expires_at: datetime | None = None,
    reason: str = "",
    object_key: str = "",
) -> Ban:
    """Ban a user, email and/or hashed IP, for a duration or until a date (neither: forever)."""
    if user is None and not email.strip() and not ip_hash:
        raise ValueError("a ban needs a user, an email address or a hashed IP address")
    if duration is not None and expires_at is not None:
        raise ValueError("give either a duration or an expiry date, not both")
    if duration is not None:
        if duration <= timedelta(0):
            raise ValueError("a ban's duration must be positive")
        expires_at = timezone.now() + duration
    ban = Ban.objects.create(
        user=user,
        email=email.strip().lower(),
        ip_hash=ip_hash,
        expires_at=expires_at,
        reason=reason,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_log(
        action="ban",
        actor=actor,
        object_key=object_key or f"ban:{ban.pk}",
        decision="reject",
        note=f"{ban}. {reason}".strip(),
    )
    return ban


@transaction.atomic
def ban_lift(*, ban: Ban, actor=None, note: str = "") -> Ban:
    """End a ban now, keeping its row for the record."""
    ban.expires_at = timezone.now()
    ban.save(update_fields=["expires_at", "updated_at"])
    audit_log(action="unban", actor=actor, object_key=f"ban:{ban.pk}", note=note or str(ban))
    return ban


@transaction.atomic
def word_rule_set(*, word: str, action: str, actor=None, note: str = "") -> WordRule:
    """Add a word to a list or move it to another list."""
    word = " ".join(word.split())
    if not normalize(word):
        raise ValueError("the word is empty once normalized")
    if action not in WordRule.Action.values:
        raise ValueError(f"action must be one of {', '.join(WordRule.Action.values)}")
    rule, _ = WordRule.objects.update_or_create(
        word__iexact=word, defaults={"word": word, "action": action, "note": note}
    )
    audit_log(
        action="word_rule_set",
        actor=actor,
        object_key=f"word:{rule.pk}",
        decision=action,
        note=word,
    )
    return rule


@transaction.atomic
def word_rule_delete(*, rule: WordRule, actor=None) -> None:
    """Remove a word from the lists."""
    audit_log(action="word_rule_delete", actor=actor, object_key=f"word:{rule.pk}", note=rule.word)
    rule.delete()


@transaction.atomic
def context_policy_set(*, key: str, mode: str, actor=None) -> ContextPolicy:
    """Set pre- or post-moderation for one context key."""
    if mode not in ContextPolicy.Mode.values:
        raise ValueError("mode must be post or pre")
    policy, _ = ContextPolicy.objects.update_or_create(key=key, defaults={"mode": mode})
    audit_log(action="policy_set", actor=actor, object_key=key, decision=mode)
    return policy


@transaction.atomic
def training_example_record(*, text: str, is_spam: bool, object_key: str = "") -> TrainingExample:
    """Keep a moderator's spam/not-spam decision for the spam model (replacing a changed one)."""
    if object_key:
        example, _ = TrainingExample.objects.update_or_create(
            object_key=object_key, defaults={"text": text, "is_spam": is_spam}
        )
        return example
    return TrainingExample.objects.create(text=text, is_spam=is_spam)


def spam_model_train(*, examples: Iterable[tuple[str, bool]] | None = None) -> SpamModel | None:
    """Fit the spam model on the stored decisions (or the given ones) and store it signed.

    Returns None, storing nothing, while there are fewer than MODERATION_SPAM_MIN_EXAMPLES
    decisions or only one class among them.
    """
    if examples is None:
        rows = TrainingExample.objects.order_by("-created_at").values_list("text", "is_spam")
        pairs = list(rows[:MAX_TRAINING_EXAMPLES])
    else:
        pairs = [(str(text), bool(is_spam)) for text, is_spam in examples]
    spam_count = sum(1 for _, is_spam in pairs if is_spam)
    minimum = int(conf.get("MODERATION_SPAM_MIN_EXAMPLES"))
    if len(pairs) < minimum or spam_count in (0, len(pairs)):
        log.info(
            "spam model not trained: %s decisions (%s spam); needs %s with both kinds",
            len(pairs),
            spam_count,
            minimum,
        )
        return None
    pipeline = spam.fit([t for t, _ in pairs], [s for _, s in pairs])
    blob, signature = spam.dump(pipeline)
    with transaction.atomic():
        model = SpamModel.objects.create(
            examples=len(pairs), spam_examples=spam_count, blob=blob, signature=signature
        )
        # Keep the last few models for inspection; older blobs only take space.
        stale = SpamModel.objects.values_list("pk", flat=True)[3:]
        SpamModel.objects.filter(pk__in=list(stale)).delete()
    return model
