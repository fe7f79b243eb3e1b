"""Features of a comment for the cold-start heads: hashed n-grams plus the BiLSTM's scores.

Hashing needs no vocabulary, so the shipped model is only numbers. Word 1-2-grams and character
2-5-grams inside words (char_wb: an n-gram never crosses a space, which lets explain() give each
word its share of the score) are counted on the normalized text, weighted by log-count times
the idf learned at training, and scaled to unit length per block (short texts less: see weigh).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from broadsheet.moderation.coldstart import hashing
from broadsheet.moderation.toxicity import LABELS

if TYPE_CHECKING:
    from scipy import sparse

WORD_FEATURES = 2**18
CHAR_FEATURES = 2**19
DIMENSIONS = WORD_FEATURES + CHAR_FEATURES + len(LABELS)


@lru_cache(maxsize=1)
def _hashers():
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"alternate_sign": False, "norm": None, "lowercase": False, "dtype": np.float32}
    words = HashingVectorizer(
        analyzer="word", ngram_range=(1, 2), n_features=WORD_FEATURES, **common
    )
    chars = HashingVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), n_features=CHAR_FEATURES, **common
    )
    return words, chars


def single_counts(normalized_text: str) -> tuple[np.ndarray, np.ndarray]:
    """One text's n-gram counts as sorted (columns, counts): the same numbers as counts().

    Hashed here (coldstart/hashing.py) rather than by scikit-learn, whose import and per-call
    checks cost more than the hashing itself on one comment (a test holds the two equal on the
    whole corpus).
    """
    found = np.asarray(
        hashing.columns(hashing.word_ngrams(normalized_text), WORD_FEATURES)
        + [
            column + WORD_FEATURES
            for column in hashing.columns(hashing.char_wb_ngrams(normalized_text), CHAR_FEATURES)
        ],
        dtype=np.int64,
    )
    unique, tally = np.unique(found, return_counts=True)
    return unique, tally.astype(np.float32)


def counts_by_text(texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Several short texts' n-gram counts: per block (words, characters), CSR parts.

    Each block is (indptr, columns, values), columns already offset into the full width. A
    column may repeat within a row (its values then add up), which is all explain() needs
    from a comment's words.
    """
    blocks = []
    for analyzer, width, offset in (
        (hashing.word_ngrams, WORD_FEATURES, 0),
        (hashing.char_wb_ngrams, CHAR_FEATURES, WORD_FEATURES),
    ):
        rows = [hashing.columns(analyzer(text), width) for text in texts]
        indptr = np.cumsum([0, *(len(row) for row in rows)])
        flat = np.fromiter((c for row in rows for c in row), dtype=np.int64) + offset
        blocks.append((indptr, flat, np.ones(len(flat), dtype=np.float32)))
    return blocks


def counts(normalized_texts: Sequence[str]) -> sparse.csr_matrix:
    """Raw n-gram counts, words then characters (the toxicity columns are left empty)."""
    from scipy import sparse

    words, chars = _hashers()
    texts = list(normalized_texts)
    empty = sparse.csr_matrix((len(texts), len(LABELS)), dtype=np.float32)
    return sparse.hstack([words.transform(texts), chars.transform(texts), empty], format="csr")


def smoothed_idf(df: np.ndarray, n: int) -> np.ndarray:
    """Inverse document frequency of columns seen in `df` of `n` texts, smoothed as sklearn's."""
    return (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)


BLOCKS = ((0, WORD_FEATURES), (WORD_FEATURES, WORD_FEATURES + CHAR_FEATURES))


def _log_idf(raw: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    weighted = raw.copy()
    weighted.data = np.log1p(weighted.data).astype(np.float32)
    return weighted.multiply(idf.reshape(1, -1)).tocsr().astype(np.float32)


def block_norms(raw: sparse.csr_matrix, idf: np.ndarray) -> np.ndarray:
    """Each text's length per block (words, characters) before scaling: rows, 2 columns."""
    return _lengths(_log_idf(raw, idf))


def _lengths(weighted: sparse.csr_matrix) -> np.ndarray:
    return np.stack(
        [
            np.sqrt(np.asarray(weighted[:, a:b].multiply(weighted[:, a:b]).sum(axis=1))).ravel()
            for a, b in BLOCKS
        ],
        axis=1,
    )


def weigh(
    raw: sparse.csr_matrix, idf: np.ndarray, floors: Sequence[float] = (0.0, 0.0)
) -> sparse.csr_matrix:
    """Log-count times idf, each block (words, characters) divided by its length.

    A length under the block's floor counts as the floor: a two-word comment carries less
    evidence than a paragraph, so its few n-grams must not weigh as much as a long text's many
    (without it, "One." or "Harmless edit." was read as strongly as a tirade).
    """
    from scipy import sparse

    weighted = _log_idf(raw, idf)
    norms = _lengths(weighted)
    blocks = []
    for (start, stop), column, floor in zip(BLOCKS, norms.T, floors, strict=True):
        scale = np.maximum(column, floor)
        scale[scale == 0] = 1.0
        blocks.append(sparse.diags(1.0 / scale).astype(np.float32) @ weighted[:, start:stop])
    return sparse.hstack(blocks, format="csr")


def scaled(
    columns: np.ndarray, weights: np.ndarray, floors: Sequence[float] = (0.0, 0.0)
) -> np.ndarray:
    """One text's weights divided by each block's length (at least its floor), as weigh() does."""
    words = columns < WORD_FEATURES
    for block, floor in zip((words, ~words), floors, strict=True):
        norm = max(float(np.sqrt((weights[block] ** 2).sum())), floor)
        if norm:
            weights[block] /= norm
    return weights


def toxicity_vector(scores: dict[str, float] | None) -> np.ndarray:
    """One text's BiLSTM scores in column order (zeros where the model was unavailable)."""
    return np.asarray([float((scores or {}).get(label, 0.0)) for label in LABELS], np.float32)


def toxicity_block(scores: Sequence[dict[str, float] | None]) -> sparse.csr_matrix:
    """The BiLSTM's six scores as columns (zeros where the model was unavailable)."""
    from scipy import sparse

    rows = [toxicity_vector(s) for s in scores]
    return sparse.csr_matrix(np.asarray(rows, dtype=np.float32).reshape(len(rows), len(LABELS)))


def matrix(
    normalized_texts: Sequence[str],
    toxicity: Sequence[dict[str, float] | None],
    idf: np.ndarray,
    floors: Sequence[float] = (0.0, 0.0),
) -> sparse.csr_matrix:
    """The full feature matrix: weighted n-grams and the toxicity scores."""
    from scipy import sparse

    weighted = weigh(counts(normalized_texts), idf, floors)[:, : WORD_FEATURES + CHAR_FEATURES]
    return sparse.hstack([weighted, toxicity_block(toxicity)], format="csr")
