"""Choose the cold-start hold thresholds on out-of-fold scores of the train and dev parts.

Run: .venv/bin/python bench/moderation_thresholds.py [--civil 0.04]
Each train/dev comment is scored by cold-start heads fitted without its fold (`broadsheet
coldstart_build --out-of-fold`), the other rules are run on it as a fresh site would (word
lists, phrases, link shapes...), and every combination of per-category thresholds and the
corroboration floor is tried. It prints the combination that catches most abuse, counting the
weakest category twice, while holding at most --civil of civil comments. The held-out part is
never read. Writes bench/results/moderation_thresholds.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.moderation_eval import setup_django  # noqa: E402

RESULT = ROOT / "bench" / "results" / "moderation_thresholds.json"
GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
FLOORS = (0.05, 0.1, 0.2, 0.3, 0.4)
GATED = ("words", "toxicity")
HEADS = (
    "insult",
    "identity_attack",
    "sexual",
    "threat",
    "spam",
)  # the holds the corroboration floor decides


def judged_rows(oof: dict) -> list[tuple[str, dict, bool, bool]]:
    """(category, out-of-fold probabilities, gated hold?, other rule's hold?) per comment."""
    from django.test.utils import override_settings

    from broadsheet.moderation import corpus
    from broadsheet.moderation.judge import judge_many
    from broadsheet.moderation.verdicts import Submission

    rows = corpus.rows(["train", "dev"])
    never = dict.fromkeys(HEADS, 1.01)
    # Every gated hold stands and the cold-start heads never hold: the search decides both.
    with override_settings(MODERATION_CORROBORATE=0.0, MODERATION_CATEGORY_HOLD=never):
        verdicts = judge_many(
            [
                Submission(text=r["text"], author_name=f"r{i}", dry_run=True)
                for i, r in enumerate(rows)
            ]
        )
    out = []
    for row, verdict in zip(rows, verdicts, strict=True):
        held = [r for r in verdict.reasons if r.decision != "allow" and r.rule != "coldstart"]
        out.append(
            (
                row["category"],
                oof[row["id"]],
                any(r.rule in GATED for r in held),
                any(r.rule not in GATED for r in held),
            )
        )
    return out


def rates(data, thresholds: dict, floor: float) -> dict[str, float]:
    """Share of each category held under these thresholds."""
    import numpy as np

    categories, probs, gated, other = data
    limits = np.array([thresholds[h] for h in HEADS])
    flagged = other | (gated & (probs.max(axis=1) >= floor)) | (probs >= limits).any(axis=1)
    return {c: round(float(flagged[categories == c].mean()), 4) for c in sorted(set(categories))}


def as_arrays(rows):
    """The judged rows as numpy arrays, so each combination costs microseconds."""
    import numpy as np

    return (
        np.array([c for c, _, _, _ in rows]),
        np.array([[p[h] for h in HEADS] for _, p, _, _ in rows]),
        np.array([g for _, _, g, _ in rows]),
        np.array([o for _, _, _, o in rows]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--civil", type=float, default=0.04, help="most civil comments held")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    oof_path = Path(tempfile.mkdtemp()) / "oof.json"
    call_command("coldstart_build", out_of_fold=str(oof_path))
    data = as_arrays(judged_rows(json.loads(oof_path.read_text())))
    heads = HEADS
    best = None
    for floor in FLOORS:
        for values in itertools.product(GRID, repeat=len(heads)):
            thresholds = dict(zip(heads, values, strict=True))
            found = rates(data, thresholds, floor)
            if found["civil"] > args.civil:
                continue
            abuse = [v for c, v in found.items() if c != "civil"]
            score = min(abuse) + sum(abuse) / len(abuse)
            if best is None or score > best[0]:
                best = (score, floor, thresholds, found)
    if best is None:
        sys.exit(f"no thresholds hold at most {args.civil:.0%} of civil comments")
    _, floor, thresholds, found = best
    result = {"civil_budget": args.civil, "corroborate": floor, "hold": thresholds, "rates": found}
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(
        "settings: MODERATION_CATEGORY_HOLD="
        + ",".join(f"{k}={v}" for k, v in thresholds.items())
        + f" MODERATION_CORROBORATE={floor}"
    )


if __name__ == "__main__":
    os.nice(5)
    main()
