"""Wire grouping: precision and recall of "same story" on the labelled pairs, by threshold.

The threshold is chosen on the "tune" half, precision first (a wrong group costs an editor more
than a missed one): the highest threshold that still finds 90% of the tune pairs, with precision
at least 0.95 there. It is then measured, untouched, on the "holdout" half. Each half is scored
as the desk scores a 48-hour window: TF-IDF fitted on every text of that half.
Run: `python -m bench wire_grouping`.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from bench.common import machine, write_results

PAIRS = Path(__file__).resolve().parent.parent / "broadsheet/ingest/tests/data/wire_pairs.jsonl"
MIN_PRECISION = 0.95
MIN_RECALL = 0.9


def load_pairs(path: Path = PAIRS) -> list[dict]:
    """The labelled pairs, one JSON object a line."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def scored(pairs: list[dict]) -> list[tuple[float, bool]]:
    """(similarity, same story) for each pair, with TF-IDF fitted on all the pairs' texts."""
    from broadsheet.ingest.wire.similarity import similarity_matrix, story_text

    texts: dict[str, int] = {}
    for pair in pairs:
        for side in ("a", "b"):
            texts.setdefault(story_text(pair[side]["headline"], pair[side]["lead"]), len(texts))
    sims = similarity_matrix(list(texts))
    out = []
    for pair in pairs:
        i = texts[story_text(pair["a"]["headline"], pair["a"]["lead"])]
        j = texts[story_text(pair["b"]["headline"], pair["b"]["lead"])]
        out.append((float(sims[i, j]), bool(pair["same"])))
    return out


def measure(scores: list[tuple[float, bool]], threshold: float) -> dict:
    """Precision, recall and F1 of "grouped" = similarity >= threshold."""
    tp = sum(1 for s, same in scores if s >= threshold and same)
    fp = sum(1 for s, same in scores if s >= threshold and not same)
    fn = sum(1 for s, same in scores if s < threshold and same)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": round(threshold, 3),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "pairs": len(scores),
    }


def choose_threshold(scores: list[tuple[float, bool]]) -> float:
    """The highest threshold on a 0.01 grid with recall and precision above their floors."""
    chosen = 0.05
    for step in range(5, 96):
        threshold = step / 100
        m = measure(scores, threshold)
        if m["precision"] >= MIN_PRECISION and m["recall"] >= MIN_RECALL:
            chosen = threshold
    return chosen


def setup_django() -> None:
    """Settings only (the wire package imports models); no database is touched."""
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="bench-wire-"))
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")
    import django

    django.setup()


def main() -> None:
    """Choose the threshold on the tune half, measure it on the held-out half, write results."""
    setup_django()
    from django.conf import settings

    started = time.perf_counter()
    pairs = load_pairs()
    tune = scored([p for p in pairs if p["split"] == "tune"])
    holdout = scored([p for p in pairs if p["split"] == "holdout"])
    threshold = choose_threshold(tune)
    results = {
        "machine": machine(),
        "method": (
            "TF-IDF cosine, mean of word (stop words out) and char_wb 4-5-gram models,"
            " damped when the texts' figures disagree"
        ),
        "pairs": {"tune": len(tune), "holdout": len(holdout)},
        "chosen_threshold": threshold,
        "setting_WIRE_GROUP_THRESHOLD": settings.WIRE_GROUP_THRESHOLD,
        "tune": measure(tune, threshold),
        "holdout": measure(holdout, threshold),
        "holdout_at_setting": measure(holdout, settings.WIRE_GROUP_THRESHOLD),
        "holdout_by_threshold": [measure(holdout, t / 100) for t in range(10, 61, 5)],
        "seconds": round(time.perf_counter() - started, 3),
    }
    path = write_results("wire_grouping", results)
    print(json.dumps({k: results[k] for k in ("chosen_threshold", "tune", "holdout")}, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
