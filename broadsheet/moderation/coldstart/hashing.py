"""The hashed n-grams of one comment, as scikit-learn's HashingVectorizer counts them, without it.

Judging a comment needs only the two analyzers (word 1-2-grams, character 2-5-grams inside
words) and MurmurHash3: a few lines here, and mmh3 for the hash. Importing scikit-learn for
them cost each server process a second of CPU and tens of megabytes on its first comment.
Training still uses scikit-learn's HashingVectorizer (features.counts), and a test holds these
columns equal to its columns on the whole corpus.
"""

from __future__ import annotations

import re

import mmh3

# HashingVectorizer's defaults that the shipped model was trained with.
TOKEN = re.compile(r"(?u)\b\w\w+\b")
WHITE_SPACES = re.compile(r"\s\s+")
INT32_MIN = -(2**31)


def word_ngrams(text: str) -> list[str]:
    """Word unigrams and bigrams (analyzer="word", ngram_range=(1, 2), no lowercasing)."""
    tokens = TOKEN.findall(text)
    return tokens + [" ".join(tokens[i : i + 2]) for i in range(len(tokens) - 1)]


def char_wb_ngrams(text: str) -> list[str]:
    """Character 2- to 5-grams inside space-padded words (analyzer="char_wb")."""
    grams: list[str] = []
    for word in WHITE_SPACES.sub(" ", text).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(2, 6):
            grams.extend(padded[i : i + n] for i in range(max(1, length - n + 1)))
            # A word shorter than n gives itself once, and longer n-grams add nothing.
            if length <= n:
                break
    return grams


def columns(grams: list[str], width: int) -> list[int]:
    """Each n-gram's column: |murmur3_32(utf-8, seed 0)| mod width, as scikit-learn maps it."""
    found = []
    for gram in grams:
        h = mmh3.hash(gram.encode("utf-8"), 0, signed=True)
        # abs(-2**31) overflows int32 in scikit-learn's kernel, which maps it to this instead.
        found.append((2**31 - 1 - (width - 1)) % width if h == INT32_MIN else abs(h) % width)
    return found
