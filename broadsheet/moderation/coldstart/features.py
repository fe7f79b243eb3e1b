"""Features of a comment for the cold-start heads: hashed n-grams plus the BiLSTM's scores.

Hashing needs no vocabulary, so the shipped model is only numbers. Word 1-2-grams and character
2-5-grams inside words (char_wb: an n-gram never crosses a space, which lets explain() give each
word its share of the score) are counted on the normalized text, weighted by log-count times
the idf learned at training, and scaled to unit length per block (short texts less: see weigh).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

from broadsheet.moderation.toxicity import LABELS

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


@lru_cache(maxsize=1)
def _analyzers():
    words, chars = _hashers()
    return words.build_analyzer(), chars.build_analyzer()


def single_counts(normalized_text: str) -> tuple[np.ndarray, np.ndarray]:
    """One text's n-gram counts as sorted (columns, counts): the same numbers as counts().

    It calls scikit-learn's hashing kernel directly, skipping the per-call checks and sparse
    matrices that cost more than the hashing itself on one comment (a test holds the two
    equal on the whole corpus).
    """
    from sklearn.feature_extraction._hashing_fast import transform as hashed

    words, chars = _analyzers()
    word_columns, _, word_values = hashed(
        [[(f, 1) for f in words(normalized_text)]], WORD_FEATURES, np.float32, False, 0
    )
    char_columns, _, char_values = hashed(
        [[(f, 1) for f in chars(normalized_text)]], CHAR_FEATURES, np.float32, False, 0
    )
    columns = np.concatenate([word_columns, char_columns + WORD_FEATURES])
    values = np.concatenate([word_values, char_values])
    unique, where = np.unique(columns, return_inverse=True)
    return unique.astype(np.int64), np.bincount(where, weights=values).astype(np.float32)


def counts_by_text(texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Several short texts' n-gram counts: per block (words, characters), CSR parts.

    Each block is (indptr, columns, values), columns already offset into the full width; one
    call of the hashing kernel per block for all texts. A column may repeat within a row (its
    values then add up), which is all explain() needs from a comment's words.
    """
    from sklearn.feature_extraction._hashing_fast import transform as hashed

    blocks = []
    for analyzer, width, offset in zip(
        _analyzers(), (WORD_FEATURES, CHAR_FEATURES), (0, WORD_FEATURES), strict=True
    ):
        columns, indptr, values = hashed(
            [[(f, 1) for f in analyzer(t)] for t in texts], width, np.float32, False, 0
        )
        blocks.append((np.asarray(indptr), np.asarray(columns, dtype=np.int64) + offset, values))
    return blocks


def counts(normalized_texts: Sequence[str]) -> sparse.csr_matrix:
    """Raw n-gram counts, words then characters (the toxicity columns are left empty)."""
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


def toxicity_block(scores: Sequence[dict[str, float] | None]) -> sparse.csr_matrix:
    """The BiLSTM's six scores as columns (zeros where the model was unavailable)."""
    rows = [[float((s or {}).get(label, 0.0)) for label in LABELS] for s in scores]
    return sparse.csr_matrix(np.asarray(rows, dtype=np.float32).reshape(len(rows), len(LABELS)))


def matrix(
    normalized_texts: Sequence[str],
    toxicity: Sequence[dict[str, float] | None],
    idf: np.ndarray,
    floors: Sequence[float] = (0.0, 0.0),
) -> sparse.csr_matrix:
    """The full feature matrix: weighted n-grams and the toxicity scores."""
    weighted = weigh(counts(normalized_texts), idf, floors)[:, : WORD_FEATURES + CHAR_FEATURES]
    return sparse.hstack([weighted, toxicity_block(toxicity)], format="csr")
