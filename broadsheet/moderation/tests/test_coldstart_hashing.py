"""The serving path's own n-gram hashing gives scikit-learn's columns, without importing it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.moderation.coldstart import features, hashing

AWKWARD = [
    "",
    "a",
    "ab",
    "x y",
    "  lead and trail  ",
    "tabs\tand\nnew\n\nlines   everywhere",
    "Héllo wörld, it's 4 me!!",
    "数字 和 文字 混合 text",
    "emoji 🙂 between 🚀 words",
    "supercalifragilisticexpialidocious",
    "_under_score_ and 123 456",
]


def _sklearn_analyzers():
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"alternate_sign": False, "norm": None, "lowercase": False}
    words = HashingVectorizer(analyzer="word", ngram_range=(1, 2), **common)
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common)
    return words.build_analyzer(), chars.build_analyzer()


def _sklearn_columns(grams: list[str], width: int) -> list[int]:
    from sklearn.feature_extraction._hashing_fast import transform

    columns, _, _ = transform([[(g, 1) for g in grams]], width, np.float32, False, 0)
    return list(columns)


def test_awkward_texts_give_scikit_learns_ngrams_and_columns():
    words, chars = _sklearn_analyzers()
    for text in AWKWARD:
        assert hashing.word_ngrams(text) == words(text), text
        assert hashing.char_wb_ngrams(text) == chars(text), text
        grams = chars(text)
        assert hashing.columns(grams, features.CHAR_FEATURES) == _sklearn_columns(
            grams, features.CHAR_FEATURES
        ), text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_scikit_learns_ngrams_and_columns(text):
    words, chars = _sklearn_analyzers()
    assert hashing.word_ngrams(text) == words(text)
    assert hashing.char_wb_ngrams(text) == chars(text)
    grams = words(text)
    assert hashing.columns(grams, features.WORD_FEATURES) == _sklearn_columns(
        grams, features.WORD_FEATURES
    )


def test_per_word_counts_for_explanations_equal_scikit_learns():
    words, chars = _sklearn_analyzers()
    tokens = ["you", "pathetic", "little", "weasel", "a"]
    word_block, char_block = features.counts_by_text(tokens)
    for (indptr, columns, values), analyzer, width, offset in (
        (word_block, words, features.WORD_FEATURES, 0),
        (char_block, chars, features.CHAR_FEATURES, features.WORD_FEATURES),
    ):
        for i, token in enumerate(tokens):
            mine = sorted((columns[indptr[i] : indptr[i + 1]] - offset).tolist())
            assert mine == sorted(_sklearn_columns(analyzer(token), width)), token
        assert values.tolist() == [1.0] * len(values)


def test_scoring_and_explaining_a_comment_imports_neither_scikit_learn_nor_scipy():
    code = (
        "import sys\n"
        "from broadsheet.moderation.coldstart import model\n"
        "from broadsheet.moderation.normalize import normalize, normalized\n"
        "text = 'You are a pathetic little weasel.'\n"
        "m = model.model()\n"
        "p = m.probabilities([normalize(text)], [None])[0]\n"
        "assert p['insult'] > 0.5, p\n"
        "assert m.explain(normalized(text), 'insult')\n"
        "print(sorted(n for n in ('sklearn', 'scipy') if n in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"
