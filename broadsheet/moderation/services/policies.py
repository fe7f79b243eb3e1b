"""Pre- or post-moderation per context key (a section, a thread): set, change, remove."""

from __future__ import annotations

from django.db import transaction

from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.moderation.models import ContextPolicy
from broadsheet.moderation.services.audit import Actor, audit_log, changes_note


def _fields(policy: ContextPolicy) -> dict[str, str]:
    """The policy's fields as the audit note shows them."""
    thresholds = ", ".join(f"{k}={v}" for k, v in sorted((policy.thresholds or {}).items()))
    return {"key": policy.key, "mode": policy.mode, "thresholds": thresholds, "note": policy.note}


def _clean_mode(mode: str) -> str:
    if mode not in ("", *ContextPolicy.Mode.values):
        raise ValueError("mode must be post, pre or empty (the site's default)")
    return mode


def thresholds_clean(thresholds: object) -> dict[str, float]:
    """Check a policy's thresholds: known categories or toxicity labels, numbers from 0 to 1.01."""
    from broadsheet.moderation.toxicity import LABELS
    from broadsheet.moderation.verdicts import CATEGORIES

    if thresholds in (None, ""):
        return {}
    if not isinstance(thresholds, dict):
        raise ValueError('thresholds must be an object such as {"insult": 0.8}')
    known = set(CATEGORIES) | {f"toxicity:{label}" for label in LABELS}
    cleaned = {}
    for key, value in thresholds.items():
        if key not in known:
            raise ValueError(f"unknown threshold {key!r}: use one of {', '.join(sorted(known))}")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1.01:
            raise ValueError(f"threshold {key} must be a number from 0 to 1.01 (1.01: never hold)")
        cleaned[key] = float(value)
    return cleaned


@transaction.atomic
def context_policy_set(
    *,
    key: str,
    mode: str,
    actor: Actor = None,
    note: str | Unchanged = KEEP,
    thresholds: dict | Unchanged = KEEP,
) -> ContextPolicy:
    """Set pre- or post-moderation, and hold thresholds, for one context key."""
    _clean_mode(mode)
    key = key.strip()
    if not key:
        raise ValueError("a context policy needs a key")
    existing = ContextPolicy.objects.select_for_update().filter(key=key).first()
    before = {} if existing is None else _fields(existing)
    defaults: dict[str, object] = {"mode": mode}
    if note is not KEEP:
        defaults["note"] = note
    if thresholds is not KEEP:
        defaults["thresholds"] = thresholds_clean(thresholds)
    policy, created = ContextPolicy.objects.update_or_create(key=key, defaults=defaults)
    audit_log(
        action="policy_set",
        actor=actor,
        object_key=key,
        decision=mode,
        note=policy.note if created else changes_note(key, before=before, after=_fields(policy)),
    )
    return policy


@transaction.atomic
def context_policy_update(
    *,
    policy: ContextPolicy,
    actor: Actor = None,
    key: str | Unchanged = KEEP,
    mode: str | Unchanged = KEEP,
    note: str | Unchanged = KEEP,
    thresholds: dict | Unchanged = KEEP,
) -> ContextPolicy:
    """Change a policy's key, mode, thresholds or note; the arguments left out are kept."""
    stored = ContextPolicy.objects.select_for_update().get(pk=policy.pk)
    before = _fields(stored)
    if key is not KEEP:
        key = key.strip()
        if not key:
            raise ValueError("a context policy needs a key")
        if ContextPolicy.objects.filter(key=key).exclude(pk=stored.pk).exists():
            raise ValueError(f"another policy already covers {key!r}")
        stored.key = key
    if mode is not KEEP:
        stored.mode = _clean_mode(mode)
    if note is not KEEP:
        stored.note = note
    if thresholds is not KEEP:
        stored.thresholds = thresholds_clean(thresholds)
    stored.save()
    audit_log(
        action="policy_update",
        actor=actor,
        object_key=stored.key,
        decision=stored.mode,
        note=changes_note(stored.key, before=before, after=_fields(stored)),
    )
    return stored


@transaction.atomic
def context_policy_delete(*, policy: ContextPolicy, actor: Actor = None) -> None:
    """Remove a context's policy: its comments follow the site's default mode again."""
    audit_log(action="policy_delete", actor=actor, object_key=policy.key, note=str(policy))
    policy.delete()
