"""Train the cold-start model from the corpus, deterministically, and write model.npz/.json.

The train and dev parts: the heads' weights and the idf, and (through out-of-fold scores) the
Platt calibration. The held-out part is never read here.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from broadsheet.moderation import corpus, toxicity
from broadsheet.moderation.coldstart import HEAD_CATEGORIES, HEADS, features
from broadsheet.moderation.coldstart.model import MANIFEST_FILE, MODEL_FILE, head_logits
from broadsheet.moderation.normalize import normalize

# Regularisation: C from 10 to 100, with or without class balancing, gave the same out-of-fold
# figures within 0.01; 30 keeps the weights, and so the explanations, moderate. N-grams seen in
# fewer comments are dropped (noise, and a smaller file).
C = 30.0
MIN_DF = 2
# Out of fold, a floor at the quarter of the texts' lengths held a third as many short civil
# comments (1.2% against 3.3%) with every head's average precision within 0.003.
NORM_FLOOR_QUANTILE = 0.25


def _toxicity(texts: list[str]) -> list[dict | None]:
    try:
        return list(toxicity.toxicity_scores(texts))
    except toxicity.ToxicityUnavailable:
        return [None] * len(texts)


def corpus_digest(rows: list[dict]) -> str:
    """SHA-256 of the rows the model learns from (id, text, category, split)."""
    payload = json.dumps(
        [[r["id"], r["text"], r["category"], r["split"]] for r in rows], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()


FOLDS = 5


def fold_of(group: str) -> int:
    """The cross-validation fold of a corpus group (fixed, like the split)."""
    digest = hashlib.sha256(f"{corpus.SEED}:fold:{group}".encode()).hexdigest()
    return int(digest[:8], 16) % FOLDS


def _idf(x_raw, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The idf of the n-grams, and which columns are kept (seen in MIN_DF comments or more)."""
    df = np.asarray((x_raw > 0).sum(axis=0)).ravel()
    idf = features.smoothed_idf(df, n)
    ngram_kept = df[: -len(toxicity.LABELS)] >= MIN_DF
    keep = np.concatenate([ngram_kept, np.ones(len(toxicity.LABELS), dtype=bool)])
    idf[~keep] = 0.0  # dropped n-grams weigh nothing, in training and after
    idf[-len(toxicity.LABELS) :] = 1.0
    return idf, keep


def _fit(x, labels: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """One multinomial logistic regression over the categories: (classes, coef, intercept)."""
    from sklearn.linear_model import LogisticRegression

    classifier = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    classifier.fit(x, labels)
    return list(classifier.classes_), classifier.coef_.T.astype(np.float32), classifier.intercept_


def train(progress: Callable[[str], None] = lambda _: None) -> tuple[dict, dict, dict]:
    """Fit every head on train and dev; return (arrays, manifest, out-of-fold probabilities).

    Calibration (and the thresholds chosen in bench/moderation_thresholds.py) use out-of-fold
    scores: each comment of train and dev scored by heads fitted without its fold.
    """
    from sklearn.linear_model import LogisticRegression

    rows = corpus.rows(["train", "dev"])
    progress(f"scoring {len(rows)} comments with the toxicity model")
    texts = [normalize(r["text"]) for r in rows]
    tox = _toxicity([r["text"] for r in rows])
    raw = features.counts(texts)
    idf, keep = _idf(raw, len(rows))
    columns = np.flatnonzero(keep)
    # The length under which a text's n-grams weigh less: the shortest quarter of the corpus.
    norms = features.block_norms(raw, idf)
    floors = [float(np.quantile(n[n > 0], NORM_FLOOR_QUANTILE)) for n in norms.T]
    x = features.matrix(texts, tox, idf, floors)[:, columns]
    folds = np.array([fold_of(r["group"]) for r in rows])

    labels = [r["category"] for r in rows]
    classes = sorted(set(labels))
    head_classes = [[classes.index(c) for c in HEAD_CATEGORIES[h]] for h in HEADS]
    out_of_fold = np.zeros((len(rows), len(HEADS)))
    for fold in range(FOLDS):
        progress(f"fold {fold + 1} of {FOLDS}")
        inside = folds != fold
        fitted, w, b = _fit(
            x[inside], [lab for lab, keep in zip(labels, inside, strict=True) if keep]
        )
        if fitted != classes:
            raise ValueError(
                f"fold {fold + 1} lacks a category: {sorted(set(classes) - set(fitted))}"
            )
        out_of_fold[~inside] = head_logits(np.asarray(x[~inside] @ w) + b, head_classes)
    progress(f"final fit on {len(rows)} comments")
    _, coef, intercept = _fit(x, labels)
    platt_a = np.zeros(len(HEADS))
    platt_b = np.zeros(len(HEADS))
    report = {}
    for h, head in enumerate(HEADS):
        y = np.array([lab in HEAD_CATEGORIES[head] for lab in labels], dtype=int)
        platt = LogisticRegression(C=1e4, solver="lbfgs")
        platt.fit(out_of_fold[:, h].reshape(-1, 1), y)
        platt_a[h] = platt.coef_[0][0]
        platt_b[h] = platt.intercept_[0]
        report[head] = {"positives": int(y.sum()), "comments": len(rows)}
    calibrated = 1.0 / (1.0 + np.exp(-(platt_a * out_of_fold + platt_b)))
    oof = {
        r["id"]: dict(zip(HEADS, map(float, p), strict=True))
        for r, p in zip(rows, calibrated, strict=True)
    }

    arrays = {
        "indices": columns.astype(np.int32),
        "idf": idf[columns],
        "default_idf": np.float32(0.0),
        "coef": coef,
        "intercept": intercept,
        "norm_floors": np.array(floors, dtype=np.float32),
        "platt_a": platt_a,
        "platt_b": platt_b,
    }
    import sklearn

    manifest = {
        "about": "Broadsheet's cold-start moderation model; rebuild: broadsheet coldstart_build",
        "heads": list(HEADS),
        "classes": classes,
        "head_categories": {k: list(v) for k, v in HEAD_CATEGORIES.items()},
        "corpus_sha256": corpus_digest(rows),
        "trained_on": "train and dev parts (never the held-out part)",
        "comments": len(rows),
        "folds": FOLDS,
        "features": {
            "word_ngrams": [1, 2],
            "char_wb_ngrams": [2, 5],
            "word_buckets": features.WORD_FEATURES,
            "char_buckets": features.CHAR_FEATURES,
            "min_df": MIN_DF,
            "norm_floor_quantile": NORM_FLOOR_QUANTILE,
            "toxicity_labels": list(toxicity.LABELS),
        },
        "C": C,
        "kept_features": int(len(columns)),
        "scikit_learn": sklearn.__version__,
        "heads_trained": report,
    }
    return arrays, manifest, oof


def write(arrays: dict, manifest: dict, model_file: Path = MODEL_FILE) -> dict:
    """Write the arrays (compressed, no pickle) and the manifest with their SHA-256."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    blob = buffer.getvalue()
    model_file.write_bytes(blob)
    manifest = {**manifest, "sha256": hashlib.sha256(blob).hexdigest(), "bytes": len(blob)}
    manifest_file = model_file.with_suffix(".json")
    manifest_file.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def is_current(manifest_file: Path = MANIFEST_FILE) -> bool:
    """Whether the shipped model was built from the corpus as it is now."""
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return manifest.get("corpus_sha256") == corpus_digest(corpus.rows(["train", "dev"]))
