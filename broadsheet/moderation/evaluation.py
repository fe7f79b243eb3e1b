"""Measure the configured referee on a labelled set of comments (used by tests and bench)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path

from broadsheet.moderation.judge import judge_many
from broadsheet.moderation.verdicts import Decision, Submission

LABELLED_SET = Path(__file__).resolve().parent / "tests" / "data" / "labelled_comments.jsonl"
ACCEPTABLE = {"civil", "critical"}


def labelled_rows(path: Path = LABELLED_SET) -> list[dict]:
    """Read the labelled set: one JSON object per line with text, label and expected."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def evaluate(rows: Iterable[dict]) -> dict:
    """Judge every row as a dry run and return precision/recall overall and per label.

    A comment counts as flagged when held or rejected; "positive" rows are those whose
    expected decision is not allow.
    """
    rows = list(rows)
    submissions = [
        Submission(text=row["text"], author_name=f"reader{i}", dry_run=True)
        for i, row in enumerate(rows)
    ]
    started = time.perf_counter()
    verdicts = judge_many(submissions)
    seconds = time.perf_counter() - started
    per_label: dict[str, dict] = {}
    tp = fp = fn = tn = 0
    mistakes = []
    for row, verdict in zip(rows, verdicts, strict=True):
        flagged = verdict.decision != Decision.ALLOW
        positive = row["expected"] != "allow"
        tp += flagged and positive
        fp += flagged and not positive
        fn += positive and not flagged
        tn += not positive and not flagged
        stats = per_label.setdefault(row["label"], {"n": 0, "flagged": 0, "rejected": 0})
        stats["n"] += 1
        stats["flagged"] += flagged
        stats["rejected"] += verdict.decision == Decision.REJECT
        if flagged != positive:
            mistakes.append(
                {
                    "text": row["text"],
                    "label": row["label"],
                    "decision": verdict.decision.value,
                    "rules": list(verdict.rules),
                    "toxic": verdict.scores.get("toxic"),
                }
            )
    for label, stats in per_label.items():
        if label in ACCEPTABLE:
            # Every flag on an acceptable comment is a false positive.
            stats["allowed_rate"] = _ratio(stats["n"] - stats["flagged"], stats["n"])
        else:
            stats["recall"] = _ratio(stats["flagged"], stats["n"])
            stats["precision_share"] = None
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision and recall else None
    for stats in per_label.values():
        stats.pop("precision_share", None)
    return {
        "n": len(rows),
        "overall": {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "true_positive": tp,
            "false_positive": fp,
            "false_negative": fn,
            "true_negative": tn,
        },
        "per_label": dict(sorted(per_label.items())),
        "seconds": round(seconds, 4),
        "ms_per_comment": round(seconds * 1000 / max(len(rows), 1), 3),
        "mistakes": mistakes,
    }
