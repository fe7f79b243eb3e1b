"""Counting a comment against its rate limits, in the transaction that stores it."""

from __future__ import annotations

from broadsheet.core import ratelimit
from broadsheet.moderation.rules import too_fast_reason
from broadsheet.moderation.verdicts import Decision, Verdict


def verdict_rates_count(verdict: Verdict, *, now: float | None = None) -> Verdict | None:
    """Count what judge(defer_rate_counts=True) only looked at; a refusal if it went over.

    Called inside the caller's write transaction, the counters commit with the comment, and
    two racing posts cannot both slip under a limit that the look before them allowed.
    """
    found = ratelimit.worst(verdict.rate_windows, count=True, now=now)
    if found is None:
        return None
    reason = too_fast_reason(*found)
    return Verdict(
        decision=Decision.REJECT,
        reasons=(reason,),
        retry_after_seconds=reason.retry_after_seconds,
    )
