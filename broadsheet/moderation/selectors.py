"""Reads the referee needs: active bans, word lists, context policy, audit history."""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from broadsheet.moderation import conf
from broadsheet.moderation.models import AuditEntry, Ban, ContextPolicy, WordRule
from broadsheet.moderation.normalize import WordMatcher


def ban_active_for(*, user_id: int | None, email: str = "", ip_hash: str = "") -> Ban | None:
    """Return the ban in force on this user, email or hashed IP, if any."""
    return Ban.objects.active().matching(user_id=user_id, email=email, ip_hash=ip_hash).first()


_matchers: dict[str, object] = {}
_matchers_lock = threading.Lock()


def word_matchers() -> tuple[WordMatcher, WordMatcher, WordMatcher]:
    """Return the (banned, suspect, group) matchers, rebuilt only when the lists change."""
    stamp = WordRule.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    version = (stamp["n"], stamp["latest"])
    with _matchers_lock:
        if _matchers.get("version") != version:
            rows = list(WordRule.objects.values_list("word", "action"))
            _matchers["banned"] = WordMatcher(w for w, a in rows if a == WordRule.Action.REJECT)
            _matchers["suspect"] = WordMatcher(w for w, a in rows if a == WordRule.Action.HOLD)
            _matchers["group"] = WordMatcher(w for w, a in rows if a == WordRule.Action.GROUP)
            _matchers["version"] = version
        return (  # type: ignore[return-value]
            _matchers["banned"],
            _matchers["suspect"],
            _matchers["group"],
        )


def policy_mode(*, context_keys: tuple[str, ...] | list[str]) -> str:
    """The moderation mode: the most specific (last) context key with a policy, else the site's."""
    if context_keys:
        modes = dict(
            ContextPolicy.objects.filter(key__in=list(context_keys)).values_list("key", "mode")
        )
        for key in reversed(context_keys):
            if key in modes:
                return modes[key]
    return str(conf.get("MODERATION_MODE"))


def audit_entries_for(*, object_key: str) -> list[AuditEntry]:
    """The audit trail of one object, newest first."""
    return list(AuditEntry.objects.filter(object_key=object_key).select_related("actor"))
