"""Features of a comment for the cold-start heads: hashed n-grams plus the BiLSTM's scores.

Hashing needs no vocabulary, so the shipped model is only numbers. Word 1-2-grams and character
2-5-grams inside words (char_wb: an n-gram never crosses a space, which lets explain() give each
word its share of the score) are counted on the normalized text, weighted by log-count times
the idf learned at training, and scaled to unit length per block.
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


def counts(normalized_texts: Sequence[str]) -> sparse.csr_matrix:
    """Raw n-gram counts, words then characters (the toxicity columns are left empty)."""
    words, chars = _hashers()
    texts = list(normalized_texts)
    empty = sparse.csr_matrix((len(texts), len(LABELS)), dtype=np.float32)
    return sparse.hstack([words.transform(texts), chars.transform(texts), empty], format="csr")


def weigh(raw: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Log-count times idf, each block (words, characters) scaled to unit length."""
    weighted = raw.copy()
    weighted.data = np.log1p(weighted.data).astype(np.float32)
    weighted = weighted.multiply(idf.reshape(1, -1)).tocsr().astype(np.float32)
    blocks = []
    for start, stop in ((0, WORD_FEATURES), (WORD_FEATURES, WORD_FEATURES + CHAR_FEATURES)):
        block = weighted[:, start:stop]
        norms = np.sqrt(np.asarray(block.multiply(block).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        blocks.append(sparse.diags(1.0 / norms).astype(np.float32) @ block)
    return sparse.hstack(blocks, format="csr")


def toxicity_block(scores: Sequence[dict[str, float] | None]) -> sparse.csr_matrix:
    """The BiLSTM's six scores as columns (zeros where the model was unavailable)."""
    rows = [[float((s or {}).get(label, 0.0)) for label in LABELS] for s in scores]
    return sparse.csr_matrix(np.asarray(rows, dtype=np.float32).reshape(len(rows), len(LABELS)))


def matrix(
    normalized_texts: Sequence[str],
    toxicity: Sequence[dict[str, float] | None],
    idf: np.ndarray,
) -> sparse.csr_matrix:
    """The full feature matrix: weighted n-grams and the toxicity scores."""
    weighted = weigh(counts(normalized_texts), idf)[:, : WORD_FEATURES + CHAR_FEATURES]
    return sparse.hstack([weighted, toxicity_block(toxicity)], format="csr")
