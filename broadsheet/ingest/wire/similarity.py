"""How alike two wire stories read: TF-IDF cosine on headline and lead (no Django needed)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy and scikit-learn load when stories are first compared, not at start
    import numpy as np

# Agencies rewording one story keep its figures (40,000 homes, 6.8 magnitude, 2-1); two stories
# about the same place or team on different days rarely share one. When both texts carry
# figures and none agree, the lexical score is multiplied by the first factor; when only one
# states any (a day-one report and its follow-up), by the second.
NUMBERS_DISAGREE_FACTOR = 0.5
NUMBERS_ONE_SIDED_FACTOR = 0.7
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
WORD_RE = re.compile(r"[a-z]+")
NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
        " fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70"}
# Years date a story rather than tell it apart; "one" and scale words are too common to count.
UNTELLING_RE = re.compile(r"(19|20)\d\d|0|1|100|1000")


def figures(text: str) -> frozenset[str]:
    """The numbers a text states, in digits or words up to seventy (years left out)."""
    text = text.casefold().replace(",", "")
    found = set(NUMBER_RE.findall(text))
    found.update(NUMBER_WORDS[w] for w in WORD_RE.findall(text) if w in NUMBER_WORDS)
    return frozenset(n for n in found if not UNTELLING_RE.fullmatch(n))


def story_text(headline: str, lead: str) -> str:
    """The text items are compared on: the headline counts twice, as it names the story."""
    return f"{headline} {headline} {lead}"


def similarity_matrix(texts: Sequence[str]) -> np.ndarray:
    """Return the pairwise cosine similarity of `texts` under TF-IDF fitted on them."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(texts) < 2:
        return np.ones((len(texts), len(texts)))
    # Word stems are not available offline; word n-grams plus character n-grams inside words
    # catch "strikes"/"struck" and "Kyiv's"/"Kyiv" that agencies' wordings differ by.
    words = TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 1))
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True)
    try:
        w = words.fit_transform(texts)
        w_sim = (w @ w.T).toarray()
    except ValueError:  # nothing but stop words
        w_sim = np.zeros((len(texts), len(texts)))
    c = chars.fit_transform(texts)
    c_sim = (c @ c.T).toarray()
    sims = (w_sim + c_sim) / 2
    stated = [figures(t) for t in texts]
    for i, a in enumerate(stated):
        for j in range(i + 1, len(stated)):
            b = stated[j]
            if a and b and not a & b:
                sims[i, j] = sims[j, i] = sims[i, j] * NUMBERS_DISAGREE_FACTOR
            elif bool(a) != bool(b):
                sims[i, j] = sims[j, i] = sims[i, j] * NUMBERS_ONE_SIDED_FACTOR
    return sims


def best_match(new_text: str, candidates: Sequence[str]) -> tuple[int, float] | None:
    """Return the index and score of the candidate most like `new_text`, or None."""
    if not candidates:
        return None
    sims = similarity_matrix([new_text, *candidates])[0, 1:]
    index = int(sims.argmax())
    return index, float(sims[index])
