"""The referee's entry point: run every configured rule and return the strictest verdict.

judge() stores no verdict. The only state it touches is rate-limit counters (the cache, or the
RateCounter table when the cache is per process: see core/ratelimit.py; not with
defer_rate_counts, where the caller counts) and recent-content hashes in the cache, and neither
on a dry run (Submission.dry_run).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from broadsheet.moderation import conf, selectors
from broadsheet.moderation.rules import Context, Rule
from broadsheet.moderation.verdicts import Decision, Reason, Submission, Verdict

# Holds from these rules are never waived for trusted commenters.
UNWAIVABLE = {"ban"}
MODES = {"post", "pre"}

_rules: dict[tuple[str, ...], list[Rule]] = {}
_rules_lock = threading.Lock()


def configured_rules() -> list[Rule]:
    """Instantiate MODERATION_RULES once per distinct list (rules are stateless)."""
    paths = tuple(conf.get("MODERATION_RULES"))
    with _rules_lock:
        if paths not in _rules:
            rules = []
            for path in paths:
                try:
                    rule = import_string(path)()
                except ImportError as exc:
                    raise ImproperlyConfigured(f"MODERATION_RULES: cannot import {path}") from exc
                rules.append(rule)
            _rules[paths] = rules
        return _rules[paths]


def is_trusted(submission: Submission) -> bool:
    """A signed-in author: staff, or K approved and none rejected (MODERATION_TRUSTED_AFTER)."""
    # A guest's email is typed, not proven: anyone could borrow a regular's standing with it.
    if not submission.identity_verified:
        return False
    if submission.is_staff:
        return True
    needed = int(conf.get("MODERATION_TRUSTED_AFTER"))
    return (
        needed > 0
        and submission.author_approved_count >= needed
        and submission.author_rejected_count == 0
    )


def judge(
    submission: Submission,
    *,
    toxicity_scores: dict[str, float] | None = None,
    defer_rate_counts: bool = False,
    _batch: dict | None = None,
) -> Verdict:
    """Judge a submission with the configured rules and return the strictest verdict.

    defer_rate_counts: rate limits only look, and the caller counts verdict.rate_windows with
    services.verdict_rates_count in the transaction that stores the comment.
    """
    # judge_many shares what is the same for a whole batch (modes, word lists, "any bans?").
    batch = _batch if _batch is not None else {}
    keys = tuple(submission.context_keys)
    modes = batch.setdefault("modes", {})
    if keys not in modes or _batch is None:
        modes[keys] = selectors.policy_mode(context_keys=keys)
    mode = modes[keys]
    thresholds = batch.setdefault("thresholds", {})
    if keys not in thresholds or _batch is None:
        thresholds[keys] = selectors.policy_thresholds(context_keys=keys)
    if mode not in MODES:
        raise ImproperlyConfigured(f"moderation mode must be post or pre, not {mode!r}")
    bans = batch["bans_possible"] if "bans_possible" in batch else selectors.bans_possible()
    context = Context(
        submission=submission,
        mode=mode,
        trusted=is_trusted(submission),
        toxicity=toxicity_scores,
        bans_possible=bans,
        batch_spam_model=batch.get("spam_model"),
        spam_model_shared="spam_model" in batch,
        thresholds=dict(thresholds[keys]),
        defer_rate_counts=defer_rate_counts,
    )
    if "word_lists" in batch:
        context.__dict__["word_lists"] = batch["word_lists"]
    staff = submission.is_staff and submission.identity_verified
    rules = configured_rules()
    reasons: list[Reason] = []
    for rule in rules:
        known_scores = len(context.scores)
        reason = rule.check(submission, context)
        if reason is None:
            continue
        if reason.decision == Decision.HOLD and context.trusted and rule.name not in UNWAIVABLE:
            who = "staff" if staff else "a trusted commenter"
            reason = Reason(
                rule=reason.rule,
                decision=Decision.ALLOW,
                message=f"{reason.message} Hold waived: {who}.",
                score=reason.score,
                category=reason.category,
            )
        reasons.append(reason)
        # A rule that reported its own scores (toxicity's six labels) is not summarized again.
        if reason.score is not None and len(context.scores) == known_scores:
            context.scores.setdefault(rule.name, round(float(reason.score), 4))
    decision = max((r.decision for r in reasons), key=lambda d: d.severity, default=Decision.ALLOW)
    # Pre-moderation is for what readers post here; an imported comment was moderated where it was.
    if decision == Decision.ALLOW and mode == "pre" and not staff and not submission.imported:
        if context.trusted and conf.get("MODERATION_TRUSTED_SKIP_PREMODERATION"):
            reasons.append(
                Reason("policy", Decision.ALLOW, "Pre-moderation waived: a trusted commenter.")
            )
        else:
            decision = Decision.HOLD
            reasons.append(Reason("policy", Decision.HOLD, "Pre-moderation: every comment waits."))
    retry = [r.retry_after_seconds for r in reasons if r.retry_after_seconds]
    verdict = Verdict(
        decision=decision,
        reasons=tuple(reasons),
        scores=dict(context.scores),
        retry_after_seconds=max(retry) if retry else None,
        rate_windows=context.rate_windows,
    )
    if not submission.dry_run:
        for rule in rules:
            rule.after(submission, context, verdict)
    return verdict


def judge_many(submissions: Sequence[Submission]) -> list[Verdict]:
    """Judge several submissions, scoring toxicity in one batch when the model is there."""
    # Imported here: numpy and the models load with the first comment, not at start.
    from broadsheet.moderation import spam, toxicity

    batch: list[dict[str, float] | None] = [None] * len(submissions)
    if any(getattr(rule, "name", "") == "toxicity" for rule in configured_rules()):
        try:
            batch = list(toxicity.toxicity_scores([s.text for s in submissions]))
        except toxicity.ToxicityUnavailable:
            pass  # each judge() call reports the rule as unavailable
    shared = {
        "bans_possible": selectors.bans_possible(),
        "word_lists": selectors.word_matchers(),
        "spam_model": spam.current_model(),
    }
    return [
        judge(s, toxicity_scores=scores, _batch=shared)
        for s, scores in zip(submissions, batch, strict=True)
    ]
