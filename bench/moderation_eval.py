"""Measure the referee: per-category figures on the corpus, the old labelled sets, speed.

Run: .venv/bin/python bench/moderation_eval.py   (writes bench/results/moderation.json and the
precision-recall PNGs in bench/results/moderation/; `broadsheet moderation_eval` prints the same
corpus figures for any part or file)
Uses a throwaway SQLite database with the default word lists (migrations), like a fresh site.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "moderation.json"
PLOTS = ROOT / "bench" / "results" / "moderation"


def setup_django() -> None:
    os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="bench-moderation-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["DJANGO_SETTINGS_MODULE"] = "broadsheet.config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def cold_load_seconds() -> float:
    """Time loading the toxicity model in a fresh interpreter (what a new app process pays)."""
    code = (
        "import time; t=time.perf_counter(); "
        "from broadsheet.moderation import toxicity; toxicity.model(); "
        "print(time.perf_counter()-t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return round(float(out.stdout.strip()), 3)


def toxicity_speed(texts: list[str]) -> dict:
    from broadsheet.moderation import toxicity

    toxicity.model()
    started = time.perf_counter()
    for text in texts[:100]:
        toxicity.toxicity_scores([text])
    single = (time.perf_counter() - started) * 1000 / min(len(texts), 100)
    repeated = (texts * 10)[:2000]
    started = time.perf_counter()
    toxicity.toxicity_scores(repeated, batch_size=64)
    batched = (time.perf_counter() - started) * 1000 / len(repeated)
    return {"ms_per_comment_single": round(single, 3), "ms_per_comment_batch64": round(batched, 3)}


def spam_model_crossval(rows: list[dict]) -> dict:
    """Two-fold check of the trainable spam model on the labelled set (spam vs the rest)."""
    from broadsheet.moderation import spam

    pairs = [(r["text"], r["label"] == "spam") for r in rows]
    folds = [pairs[0::2], pairs[1::2]]
    tp = fp = fn = 0
    for train, test in ((folds[0], folds[1]), (folds[1], folds[0])):
        model = spam.fit([t for t, _ in train], [s for _, s in train])
        probabilities = spam.spam_probability(model, [t for t, _ in test])
        for (_, is_spam), p in zip(test, probabilities, strict=True):
            flagged = p >= 0.5
            tp += flagged and is_spam
            fp += flagged and not is_spam
            fn += is_spam and not flagged
    return {
        "examples": len(pairs),
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "note": "2-fold, threshold 0.5; a site trains on its own moderators' decisions",
    }


def components(rows: list[dict]) -> dict:
    """The toxicity model alone, and every rule but it, on the labelled set."""
    from django.conf import settings
    from django.test import override_settings

    from broadsheet.moderation.evaluation import evaluate

    toxicity_rule = "broadsheet.moderation.rules.ToxicityRule"
    variants = {
        "toxicity_model_only": [toxicity_rule],
        "rules_without_toxicity_model": [
            r for r in settings.MODERATION_RULES if r != toxicity_rule
        ],
    }
    figures = {}
    for name, rules in variants.items():
        with override_settings(MODERATION_RULES=rules):
            report = evaluate(rows)
        figures[name] = report["overall"] | {
            "per_label": {
                label: stats.get("recall", stats.get("allowed_rate"))
                for label, stats in report["per_label"].items()
            }
        }
    return figures


def corpus_figures() -> dict:
    """Every corpus part's figures (curves drawn as PNGs, only their AP kept in the JSON)."""
    from broadsheet.moderation import evaluation
    from broadsheet.moderation.corpus import SPLITS, rows

    figures = {}
    for split in SPLITS:
        result, _ = evaluation.measure(rows([split]))
        evaluation.write_plots(PLOTS, split, result)
        result["curves"] = {
            category: {k: v for k, v in curve.items() if k not in ("precision", "recall")}
            for category, curve in result["curves"].items()
        }
        figures[split] = result
    return figures


def main() -> None:
    setup_django()
    from broadsheet.moderation.evaluation import LABELLED_SET, evaluate, labelled_rows

    rows = labelled_rows()
    heldout_path = LABELLED_SET.with_name("heldout_comments.jsonl")
    results = {
        "toxicity_model": "toxic-comment-classifier 0.3.0 weights, numpy forward pass",
        "toxicity_cold_load_seconds": cold_load_seconds(),
        **toxicity_speed([r["text"] for r in rows]),
    }
    labelled = evaluate(rows)
    results["labelled_set"] = {k: v for k, v in labelled.items() if k != "mistakes"}
    results["labelled_set"]["mistakes"] = [
        {k: m[k] for k in ("label", "decision", "rules", "toxic")} | {"text": m["text"][:80]}
        for m in labelled["mistakes"]
    ]
    if heldout_path.exists():
        heldout = evaluate(labelled_rows(heldout_path))
        results["heldout_set"] = {k: v for k, v in heldout.items() if k != "mistakes"}
    results["corpus"] = corpus_figures()
    results["components"] = components(rows)
    results["spam_model_crossval"] = spam_model_crossval(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    print(
        f"toxicity model cold load: {results['toxicity_cold_load_seconds']} s; "
        f"{results['ms_per_comment_single']} ms/comment alone, "
        f"{results['ms_per_comment_batch64']} ms/comment in batches of 64"
    )
    for name in ("labelled_set", "heldout_set"):
        if name not in results:
            continue
        report = results[name]
        o = report["overall"]
        print(
            f"{name}: n={report['n']} precision={o['precision']} recall={o['recall']} "
            f"f1={o['f1']} judge={report['ms_per_comment']} ms/comment"
        )
        for label, stats in report["per_label"].items():
            figure = stats.get("recall", stats.get("allowed_rate"))
            kind = "recall" if "recall" in stats else "allowed"
            print(f"  {label:16} n={stats['n']:3} {kind}={figure}")
    for split, figures in results["corpus"].items():
        s = figures["summary"]
        print(
            f"corpus {split}: n={figures['n']} hold recall={s['hold_recall']} "
            f"spam recall={s['spam_recall']} civil held={s['civil_held_rate']}"
        )
        for category, stats in figures["referee_categories"].items():
            print(
                f"  {category:16} precision={stats['precision']} "
                f"recall={stats['recall_named']} AP="
                f"{figures['curves'].get(category, {}).get('average_precision')}"
            )
    for name, figures in results["components"].items():
        print(f"{name}: precision={figures['precision']} recall={figures['recall']}")
    crossval = results["spam_model_crossval"]
    print(f"spam model (2-fold): precision={crossval['precision']} recall={crossval['recall']}")


if __name__ == "__main__":
    main()
