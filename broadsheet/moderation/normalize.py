"""Text normalization for word lists: case, accents, leetspeak and stretched letters.

`normalize()` gives a canonical form; `WordMatcher` finds listed words in it as whole words,
allowing any letter to be repeated ("idiooots") but never matching inside another word
("assess" does not contain "ass").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Swaps readers use to slip past filters; applied only inside tokens that also contain a letter,
# so that plain numbers ("100 people", "$5") stay numbers.
LEET = str.maketrans(
    {
        "1": "i",
        "!": "i",
        "3": "e",
        "0": "o",
        "4": "a",
        "@": "a",
        "5": "s",
        "$": "s",
        "7": "t",
        "|": "l",
    }
)
# A run of characters that may be part of a disguised word (letters, digits and the swap
# symbols) holding at least one swap symbol: only those need _unleet, and most words have none.
TOKEN = re.compile(r"[\w@$!|]*[134570!@$|][\w@$!|]*")
RUNS = re.compile(r"([^\W\d_])\1{2,}")
SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    """Decompose, drop accents and invisible format characters, and casefold."""
    if text.isascii():
        # ASCII has nothing to decompose and no format (Cf) characters: the same result, faster.
        return text.lower()
    text = unicodedata.normalize("NFKD", text).casefold()
    text = unicodedata.normalize("NFKD", text)
    return "".join(
        c for c in text if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )


def _unleet(match: re.Match[str]) -> str:
    token = match.group(0)
    letters = sum(c.isalpha() for c in token)
    # A lone "!" ending a word is punctuation, not an "i": only swap inside a word.
    stripped = token.rstrip("!")
    if letters == 0 or not stripped:
        return token
    return stripped.translate(LEET) + token[len(stripped) :]


def normalize(text: str) -> str:
    """Return the canonical form used for word matching and duplicate detection."""
    previous = None
    # Folding can expose characters that fold again (rare compatibility forms): repeat until
    # stable so normalize() is idempotent.
    for _ in range(4):
        if text == previous:
            break
        previous = text
        text = _fold(text)
        text = TOKEN.sub(_unleet, text)
        text = RUNS.sub(r"\1\1", text)
        text = SPACES.sub(" ", text).strip()
    return text


def _word_pattern(word: str) -> str:
    """Pattern for one listed word: each letter run may be stretched, spaces may vary."""
    canonical = normalize(word)
    parts = []
    for run in re.finditer(r"(.)\1*", canonical):
        char, count = run.group(1), len(run.group(0))
        if char == " ":
            parts.append(r"[\s\W_]+")
            continue
        parts.append(re.escape(char) + (f"{{{count},}}" if count > 1 else "+"))
    return "".join(parts)


@dataclass(frozen=True)
class Match:
    """A listed word found in a text: the listed form and the text as written (normalized)."""

    word: str
    found: str


class WordMatcher:
    """Find any of a list of words in text, as whole words, after normalization."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(
            {w.strip() for w in words if normalize(w.strip())}, key=len, reverse=True
        )
        self._by_pattern: list[tuple[re.Pattern[str], str]] = []
        if self.words:
            alternatives = [f"(?P<w{i}>{_word_pattern(w)})" for i, w in enumerate(self.words)]
            self._pattern: re.Pattern[str] | None = re.compile(
                r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])"
            )
        else:
            self._pattern = None

    def spans(self, normalized: str) -> list[tuple[int, int, str]]:
        """Return (start, end, listed word) for every occurrence in already normalized text."""
        if self._pattern is None:
            return []
        return [
            (m.start(), m.end(), self.words[int(m.lastgroup[1:])] if m.lastgroup else m.group(0))
            for m in self._pattern.finditer(normalized)
        ]

    def find(self, text: str, *, normalized: str | None = None) -> list[Match]:
        """Return every listed word present in the text, once each, in order of appearance."""
        if self._pattern is None:
            return []
        canonical = normalize(text) if normalized is None else normalized
        found: dict[str, Match] = {}
        for m in self._pattern.finditer(canonical):
            word = self.words[int(m.lastgroup[1:])] if m.lastgroup else m.group(0)
            found.setdefault(word, Match(word=word, found=m.group(0)))
        return list(found.values())
