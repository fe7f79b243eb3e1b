"""Load the shipped cold-start model and answer with calibrated probabilities and reasons."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from broadsheet.moderation.coldstart import HEAD_CATEGORIES, HEADS, features
from broadsheet.moderation.normalize import Token, render

HERE = Path(__file__).resolve().parent
MODEL_FILE = HERE / "model.npz"
MANIFEST_FILE = HERE / "model.json"
NGRAMS = features.WORD_FEATURES + features.CHAR_FEATURES
# Words a moderator never needs pointed at, though the model leans on them ("you are" is how
# abuse is addressed, "honestly" how it is introduced): explain() highlights content words.
FUNCTION_WORDS = frozenset(
    """a an the and or but if so of to in on at by for with from as is are am was were be been
    being do does did have has had i me my we us our you your yours he him his she her it its they
    them their this that these those there here who whom which what not no just all any some
    very really too also then than honestly seriously frankly literally actually basically
    clearly obviously simply""".split()
)


class ColdStartUnavailable(RuntimeError):
    """The shipped model is missing or does not match its manifest."""


@dataclass(frozen=True)
class Weighed:
    """One word of the comment and how much it pushed a head's score."""

    start: int
    end: int
    weight: float


class ColdStartModel:
    """The heads' weights, the idf and the calibration, from plain arrays."""

    def __init__(self, arrays: dict[str, np.ndarray], manifest: dict) -> None:
        self.manifest = manifest
        self.heads = tuple(manifest["heads"])
        self.idf = np.full(features.DIMENSIONS, float(arrays["default_idf"]), dtype=np.float32)
        self.idf[arrays["indices"]] = arrays["idf"]
        self.classes = tuple(manifest["classes"])
        # One softmax over the corpus's categories; a head's probability is the sum of its own.
        # Only the columns the corpus ever filled have weights: they are kept compact, and
        # `rows` maps any column to its row (the last row, all zeros, for the others), where a
        # dense copy over all 786,000 columns held 38 MB in every server for the same answers.
        indices = arrays["indices"]
        self.rows = np.full(features.DIMENSIONS, len(indices), dtype=np.int32)
        self.rows[indices] = np.arange(len(indices), dtype=np.int32)
        self.weights = np.vstack([arrays["coef"], np.zeros((1, len(self.classes)), np.float32)])
        self.intercept = arrays["intercept"].astype(np.float32)
        self.head_classes = [
            [self.classes.index(c) for c in HEAD_CATEGORIES[h]] for h in self.heads
        ]
        # The direction that moves a comment towards each head rather than towards any other
        # category, for explain(): against civil alone, words that mark every kind of abuse
        # ("you", "everyone knows") would be named for every head.
        others = [
            [i for i in range(len(self.classes)) if i not in cols] for cols in self.head_classes
        ]
        self.towards = np.stack(
            [
                self.weights[:, cols].mean(axis=1) - self.weights[:, rest].mean(axis=1)
                for cols, rest in zip(self.head_classes, others, strict=True)
            ],
            axis=1,
        )
        self._toxicity_rows = self.rows[NGRAMS:]
        self.floors = tuple(float(f) for f in arrays.get("norm_floors", (0.0, 0.0)))
        self.platt_a = arrays["platt_a"].astype(np.float64)
        self.platt_b = arrays["platt_b"].astype(np.float64)

    def logits(self, normalized_texts: Sequence[str], toxicity: Sequence[dict | None]):
        """Each head's raw score for each text (rows: texts, columns: heads)."""
        from scipy import sparse

        x = features.matrix(normalized_texts, toxicity, self.idf, self.floors).tocsr()
        # The same matrix with each column renamed to its compact row (unknown ones to the
        # zero row): repeated names in a row add up in the product, as they should.
        compact = sparse.csr_matrix(
            (x.data, self.rows[x.indices], x.indptr), shape=(x.shape[0], len(self.weights))
        )
        return head_logits(np.asarray(compact @ self.weights) + self.intercept, self.head_classes)

    def calibrate(self, logits: np.ndarray) -> np.ndarray:
        """Platt scaling fitted on the corpus's dev part: raw scores to probabilities."""
        return 1.0 / (1.0 + np.exp(-(self.platt_a * logits + self.platt_b)))

    def vector(
        self, normalized_text: str, counted: tuple[np.ndarray, np.ndarray] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One text's weighted n-grams as (columns, raw counts, weights), without sparse algebra.

        The same numbers as features.weigh() for one row, in a tenth of the time: a single
        comment is what the referee judges on every post. Pass `counted` (from
        features.single_counts) when the caller has counted the text already.
        """
        if counted is None:
            counted = features.single_counts(normalized_text)
        columns, counts = counted
        weights = features.scaled(columns, np.log1p(counts) * self.idf[columns], self.floors)
        return columns, counts, weights

    def _single_logits(
        self, normalized_text: str, toxicity: dict | None, counted=None
    ) -> np.ndarray:
        columns, _, weights = self.vector(normalized_text, counted)
        scores = features.toxicity_vector(toxicity)
        classes = (
            weights @ self.weights[self.rows[columns]]
            + self.intercept
            + scores @ self.weights[self._toxicity_rows]
        )
        return head_logits(classes.reshape(1, -1), self.head_classes)[0]

    def probabilities(
        self, normalized_texts: Sequence[str], toxicity: Sequence[dict | None], counted=None
    ) -> list[dict[str, float]]:
        """{head: probability} for each text (`counted`: one text's single_counts, if known)."""
        if not normalized_texts:
            return []
        if len(normalized_texts) == 1:
            single = self._single_logits(normalized_texts[0], toxicity[0], counted)
            logits = single.reshape(1, -1)
        else:
            logits = self.logits(normalized_texts, toxicity)
        probs = self.calibrate(logits)
        return [
            {head: round(float(p), 4) for head, p in zip(self.heads, row, strict=True)}
            for row in probs
        ]

    def explain(
        self, tokens: Sequence[Token], head: str, *, limit: int = 3, counted=None
    ) -> list[Weighed]:
        """The words that pushed `head` up most, with their spans in the original text.

        Word and character n-grams never cross a space, so each token's share of the score is
        exact (word pairs, which do cross, are left out of the shares).
        """
        tokens = list(tokens)
        if len(tokens) > 200:
            tokens, counted = tokens[:200], None
        if not tokens:
            return []
        column = self.heads.index(head)
        # single_counts gives the columns sorted, which the searchsorted below relies on.
        columns, counts, weights = self.vector(render(tokens), counted)
        # Each feature's part of the score, shared among the tokens that hold it.
        value = weights * self.towards[self.rows[columns], column] / counts
        blocks = features.counts_by_text([t.text for t in tokens])
        shares = []
        for i in range(len(tokens)):
            share = 0.0
            if tokens[i].text not in FUNCTION_WORDS:
                for indptr, token_columns, token_counts in blocks:
                    cols = token_columns[indptr[i] : indptr[i + 1]]
                    where = np.minimum(np.searchsorted(columns, cols), len(columns) - 1)
                    found = columns[where] == cols
                    share += float(
                        (token_counts[indptr[i] : indptr[i + 1]][found] * value[where[found]]).sum()
                    )
            shares.append(share)
        ranked = sorted(range(len(tokens)), key=lambda i: -shares[i])
        top = shares[ranked[0]] if ranked else 0.0
        if top <= 0:
            return []
        chosen = [i for i in ranked[:limit] if shares[i] > 0 and shares[i] >= 0.25 * top]
        return [
            Weighed(tokens[i].start, tokens[i].end, round(shares[i], 3)) for i in sorted(chosen)
        ]


def head_logits(class_scores: np.ndarray, head_classes: list[list[int]]) -> np.ndarray:
    """Softmax over the categories, each head's share summed, returned as log-odds."""
    shifted = class_scores - class_scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(axis=1, keepdims=True)
    heads = np.stack([probs[:, cols].sum(axis=1) for cols in head_classes], axis=1)
    heads = np.clip(heads, 1e-7, 1 - 1e-7)
    return np.log(heads / (1 - heads))


def digest(path: Path) -> str:
    """SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(model_file: Path = MODEL_FILE, manifest_file: Path = MANIFEST_FILE) -> ColdStartModel:
    """Read the arrays (never pickles) after checking them against the manifest's SHA-256."""
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ColdStartUnavailable(f"cannot read {manifest_file}: {exc}") from exc
    if not model_file.exists():
        raise ColdStartUnavailable(f"{model_file} is missing: run broadsheet coldstart_build")
    if digest(model_file) != manifest.get("sha256"):
        raise ColdStartUnavailable(
            f"{model_file} does not match {manifest_file.name}: run broadsheet coldstart_build"
        )
    with np.load(model_file, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    if tuple(manifest.get("heads", ())) != HEADS:
        raise ColdStartUnavailable(f"{manifest_file.name} lists other heads than {HEADS}")
    return ColdStartModel(arrays, manifest)


_loaded: dict[str, ColdStartModel] = {}
_lock = threading.Lock()


def model() -> ColdStartModel:
    """The shipped model, loaded once per process."""
    loaded = _loaded.get("model")
    if loaded is None:
        with _lock:
            loaded = _loaded.get("model")
            if loaded is None:
                loaded = load()
                _loaded["model"] = loaded
    return loaded
