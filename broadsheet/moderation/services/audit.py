"""The audit log: who did what to which object, and what changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeAlias

from broadsheet.moderation.models import AuditEntry
from broadsheet.moderation.verdicts import Reason, Verdict

if TYPE_CHECKING:
    from broadsheet.accounts.models import User

# Whoever acts: a staff user, or nobody (the referee itself, an import, a task).
Actor: TypeAlias = "User | None"


def _reasons_json(reasons: Iterable[Reason | dict]) -> list[dict]:
    return [r.as_dict() if isinstance(r, Reason) else dict(r) for r in reasons]


def audit_log(
    *,
    action: str,
    object_key: str,
    actor: Actor = None,
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
        actor=actor_user(actor),
        object_key=object_key,
        decision=str(decision),
        reasons=_reasons_json(reasons),
        scores=dict(scores or {}),
        note=note,
    )


def verdict_record(
    *, object_key: str, verdict: Verdict, actor: Actor = None, note: str = ""
) -> AuditEntry:
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


def actor_user(actor: Actor) -> User | None:
    """The actor as a row to point a foreign key at, or None for nobody (or a visitor)."""
    # An anonymous visitor has no pk: recorded as nobody rather than refused.
    return actor if actor is not None and getattr(actor, "pk", None) else None


def shown_time(value: datetime | None, *, empty: str = "never") -> str:
    """A time as the audit log prints it: UTC, to the second."""
    if value is None:
        return empty
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def changes_note(label: str, *, before: Mapping[str, str], after: Mapping[str, str]) -> str:
    """Name the object and each field that differs: 'gloopy: action hold → reject'."""
    changed = [
        f"{name} {before.get(name) or '—'} → {value or '—'}"
        for name, value in after.items()
        if before.get(name, "") != value
    ]
    return f"{label}: {'; '.join(changed)}" if changed else f"{label}: no change"
