"""Pre- or post-moderation per context key (a section, a thread): set, change, remove."""

from __future__ import annotations

from django.db import transaction

from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.moderation.models import ContextPolicy
from broadsheet.moderation.services.audit import Actor, audit_log, changes_note


def _fields(policy: ContextPolicy) -> dict[str, str]:
    return {"key": policy.key, "mode": policy.mode, "note": policy.note}


def _clean_mode(mode: str) -> str:
    if mode not in ContextPolicy.Mode.values:
        raise ValueError("mode must be post or pre")
    return mode


@transaction.atomic
def context_policy_set(
    *, key: str, mode: str, actor: Actor = None, note: str | Unchanged = KEEP
) -> ContextPolicy:
    """Set pre- or post-moderation for one context key."""
    _clean_mode(mode)
    key = key.strip()
    if not key:
        raise ValueError("a context policy needs a key")
    existing = ContextPolicy.objects.select_for_update().filter(key=key).first()
    before = {} if existing is None else _fields(existing)
    defaults = {"mode": mode} if note is KEEP else {"mode": mode, "note": note}
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
) -> ContextPolicy:
    """Change a policy's key, mode or note; the arguments left out are kept."""
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
