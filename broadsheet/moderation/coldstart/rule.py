"""The referee's rule for the cold-start heads: hold (or reject) by calibrated probability."""

from __future__ import annotations

from broadsheet.moderation import conf
from broadsheet.moderation.coldstart import HEADS
from broadsheet.moderation.rules import Context, Rule
from broadsheet.moderation.verdicts import CATEGORY_LABELS, Decision, Reason, Submission


def hold_thresholds(context: Context) -> dict[str, float]:
    """Each head's hold threshold: the setting, overridden by the context's policies."""
    thresholds = conf.thresholds("MODERATION_CATEGORY_HOLD")
    thresholds.update({k: v for k, v in context.thresholds.items() if k in HEADS})
    return thresholds


class ColdStartRule(Rule):
    """Hold what the shipped cold-start model finds, naming the category and the words."""

    name = "coldstart"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        probabilities = context.coldstart
        if probabilities is None:
            return self.reason(Decision.HOLD, "Cold-start model unavailable.")
        context.scores.update({f"coldstart_{h}": p for h, p in probabilities.items()})
        reject = conf.thresholds("MODERATION_CATEGORY_REJECT")
        hold = hold_thresholds(context)
        for decision, limits in ((Decision.REJECT, reject), (Decision.HOLD, hold)):
            over = [h for h in HEADS if h in limits and probabilities[h] >= limits[h]]
            if not over:
                continue
            head = max(over, key=lambda h: probabilities[h] - limits[h])
            weighed = context.explained(head)
            words = ", ".join(f"“{submission.text[w.start : w.end]}”" for w in weighed)
            return self.reason(
                decision,
                f"{CATEGORY_LABELS[head]} {probabilities[head]:.2f} (threshold {limits[head]:.2f})"
                + (f": {words}." if words else "."),
                score=probabilities[head],
                category=head,
                spans=tuple((w.start, w.end) for w in weighed),
            )
        return None
