"""Reads the referee needs: active bans, word lists, context policy, audit history."""

from __future__ import annotations

import threading
import time

from django.db.models import Count, Max

from broadsheet.moderation import conf
from broadsheet.moderation.models import (
    AuditEntry,
    Ban,
    ContextPolicy,
    SpamModel,
    TrainingExample,
    WordRule,
)
from broadsheet.moderation.normalize import WordMatcher


def ban_active_for(*, user_id: int | None, email: str = "", ip_hash: str = "") -> Ban | None:
    """Return the ban in force on this user, email or hashed IP, if any."""
    return Ban.objects.active().matching(user_id=user_id, email=email, ip_hash=ip_hash).first()


# The referee asks the database whether bans or word lists changed at most this often per
# process: a save or delete in this process refreshes it at once (a signal, see apps.py), and
# every other worker follows within these seconds. It keeps four queries off every comment
# (bans, word lists, and the context policies' mode and thresholds).
RECHECK_SECONDS = 2.0
# What migration 0002 wrote on the words it seeded: a hold by one of these is corroborated by
# the cold-start model (word_lists.WordListRule), a word the site's staff listed holds as it is.
DEFAULT_LIST_NOTE = "default list"
_matchers: dict[str, object] = {}
_matchers_lock = threading.Lock()


def forget() -> None:
    """Make this process re-read bans, word lists and context policies on the next comment."""
    with _matchers_lock:
        _matchers.pop("checked_at", None)
        _matchers.pop("bans_checked_at", None)
        _matchers.pop("policies_checked_at", None)


def _policies() -> dict[str, tuple[str, dict]]:
    """Every context policy as key -> (mode, thresholds), re-read at most every few seconds.

    A site has a handful of them; reading them all once beats two queries on every comment.
    """
    now = time.monotonic()
    checked_at = _matchers.get("policies_checked_at")
    if isinstance(checked_at, float) and now - checked_at < RECHECK_SECONDS:
        return _matchers["policies"]  # type: ignore[return-value]
    rows = {
        key: (mode, thresholds or {})
        for key, mode, thresholds in ContextPolicy.objects.values_list("key", "mode", "thresholds")
    }
    with _matchers_lock:
        _matchers.update(policies=rows, policies_checked_at=now)
    return rows


def bans_possible() -> bool:
    """Whether any ban is in force (re-read at most every RECHECK_SECONDS)."""
    now = time.monotonic()
    checked_at = _matchers.get("bans_checked_at")
    if isinstance(checked_at, float) and now - checked_at < RECHECK_SECONDS:
        return bool(_matchers.get("bans"))
    # A ban expiring later still counts as possible: ban_active_for checks the time exactly.
    possible = Ban.objects.active().exists()
    with _matchers_lock:
        _matchers.update(bans=possible, bans_checked_at=now)
    return possible


def word_matchers() -> tuple[WordMatcher, WordMatcher, WordMatcher]:
    """Return the (banned, suspect, group) matchers, rebuilt only when the lists change."""
    now = time.monotonic()
    checked_at = _matchers.get("checked_at")
    fresh = isinstance(checked_at, float) and now - checked_at < RECHECK_SECONDS
    if fresh and "banned" in _matchers:
        return _matchers["banned"], _matchers["suspect"], _matchers["group"]  # type: ignore
    stamp = WordRule.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    version = (stamp["n"], stamp["latest"])
    with _matchers_lock:
        _matchers["checked_at"] = now
        if _matchers.get("version") != version:
            rows = list(WordRule.objects.values_list("word", "action", "note"))
            _matchers["defaults"] = frozenset(
                w.strip().lower() for w, a, n in rows if n == DEFAULT_LIST_NOTE
            )
            _matchers["banned"] = WordMatcher(w for w, a, _ in rows if a == WordRule.Action.REJECT)
            _matchers["suspect"] = WordMatcher(w for w, a, _ in rows if a == WordRule.Action.HOLD)
            _matchers["group"] = WordMatcher(w for w, a, _ in rows if a == WordRule.Action.GROUP)
            _matchers["version"] = version
        return (  # type: ignore[return-value]
            _matchers["banned"],
            _matchers["suspect"],
            _matchers["group"],
        )


def default_list_words() -> frozenset[str]:
    """The listed words that came with Broadsheet (not added or re-set by this site's staff)."""
    word_matchers()
    return _matchers["defaults"]  # type: ignore[return-value]


def policy_mode(*, context_keys: tuple[str, ...] | list[str]) -> str:
    """The moderation mode: "pre" if any context key asks for it, else any key's, else the site's.

    Order-independent on purpose: a sensitive article or section can always switch to
    pre-moderation, and a section can relax a pre-moderated site, whatever order keys come in.
    """
    if context_keys:
        policies = _policies()
        modes = {policies[key][0] for key in context_keys if key in policies}
        modes.discard("")
        if ContextPolicy.Mode.PRE in modes:
            return ContextPolicy.Mode.PRE.value
        if modes:
            return ContextPolicy.Mode.POST.value
    return str(conf.get("MODERATION_MODE"))


def policy_thresholds(*, context_keys: tuple[str, ...] | list[str]) -> dict[str, float]:
    """Hold thresholds the context policies set, merged from general to specific key."""
    if not context_keys:
        return {}
    policies = _policies()
    merged: dict[str, float] = {}
    for key in context_keys:  # the caller passes keys general to specific: the specific wins
        merged.update(policies[key][1] if key in policies else {})
    return merged


def audit_entries_for(*, object_key: str) -> list[AuditEntry]:
    """The audit trail of one object, newest first."""
    return list(AuditEntry.objects.filter(object_key=object_key).select_related("actor"))


def spam_model_due() -> bool:
    """Whether enough new decisions arrived since the last training to retrain the spam model."""
    latest = SpamModel.objects.only("created_at").first()
    examples = TrainingExample.objects.all()
    if latest is None:
        return examples.count() >= int(conf.get("MODERATION_SPAM_MIN_EXAMPLES"))
    fresh = examples.filter(created_at__gt=latest.created_at).count()
    return fresh >= int(conf.get("MODERATION_SPAM_RETRAIN_EVERY"))
