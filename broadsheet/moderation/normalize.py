"""Text normalization: undo the disguises readers use before every text rule and model.

`normalize()` gives a canonical form: case, accents and compatibility forms folded (full-width,
mathematical and circled letters, small caps), Cyrillic and Greek look-alikes, emoji letters and
keycaps turned into Latin letters, invisible characters dropped, leetspeak undone inside words,
stretched letters shortened, and spaced or dotted letters ("i d i o t", "m.o.r.o.n") joined.
It works token by token on whitespace, so `normalized()` can say where each canonical token came
from in the original text (for highlighting), and a line break stays a line break.

`WordMatcher` finds listed words in the canonical form as whole words, allowing any letter to be
repeated ("idiooots") or masked by an asterisk ("f*ck") but never matching inside another word
("assess" does not contain "ass").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Swaps readers use to slip past filters; applied only inside tokens that also contain a letter
# or a masking asterisk, so that plain numbers ("100 people", "$5") stay numbers.
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
# symbols, and an asterisk masking a letter) holding at least one swap symbol: only those need
# _unleet, and most words have none.
TOKEN = re.compile(r"[\w@$!|*]*[134570!@$|][\w@$!|*]*")
RUNS = re.compile(r"([^\W\d_])\1{2,}")
WORDS = re.compile(r"\S+")
EDGE_PUNCTUATION = ".,;:!?\"'“”‘’()[]«»…"
# Whitespace that ends a line (str.splitlines' boundaries): kept as "\n" in the canonical form.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _pairs(spec: str) -> list[tuple[str, str]]:
    items = spec.split()
    return list(zip(items[::2], items[1::2], strict=True))


CYRILLIC = (
    "а a в b г r е e і i ї i ј j к k м m н h о o р p с c ѕ s т t у y х x һ h ӏ l ԁ d ԛ q ԝ w ь b "
)
GREEK = "α a β b γ y ε e η n ι i κ k μ u ν v ο o ρ p ς s σ o τ t υ u χ x ω w"


def _letters(first: int, count: int = 26) -> dict[int, str]:
    return {first + i: chr(ord("a") + i) for i in range(count)}


# Letters NFKD leaves alone. Each maps to the Latin letter it is read as.
LOOKALIKES: dict[int, str] = {
    **_letters(0x1F150),  # negative circled 🅐
    **_letters(0x1F170),  # negative squared 🅰
    **_letters(0x1F1E6),  # regional indicators 🇦 (flags when paired)
    **{
        ord(c): latin
        for c, latin in zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnopqrstuvwyz", strict=True)
    },
    # Cyrillic and Greek (lower case: folding comes first).
    **{ord(c): latin for c, latin in _pairs(CYRILLIC + GREEK)},
    # Latin letters with a stroke or a bar, which have no decomposition.
    **{ord(c): latin for c, latin in zip("łøđħŧƒıȷɑɩƖʋɡ", "lodhtfijaiiug", strict=True)},
    # Emoji used for one letter.
    **{ord(c): latin for c, latin in zip("⭕🔴🟠🟡🟢🔵🟣⚪⚫❌✖💲", "oooooooooxxs", strict=True)},
}
# Characters that show nothing (or a blank) and are used to split words invisibly.
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
LATIN = re.compile(r"[a-z]")
SPACED_SEPARATORS = ".-_*·•~+/"
_SEP = "[" + re.escape(SPACED_SEPARATORS) + "]"
SEPARATOR_RUN = re.compile(_SEP + "+")
# One character of a spaced-out word: a letter (perhaps stretched), a digit, or a swap symbol.
SPACED_PART = re.compile(r"([^\W\d_])\1*|[\d@$]")


def _fold(text: str) -> str:
    """Decompose, drop accents, marks and invisible characters, casefold, map look-alikes."""
    if text.isascii():
        # ASCII has nothing to decompose and no format (Cf) characters: the same result, faster.
        return text.lower()
    text = unicodedata.normalize("NFKD", text).casefold()
    text = unicodedata.normalize("NFKD", text)
    kept = "".join(
        c for c in text if c not in INVISIBLE and unicodedata.category(c) not in ("Mn", "Me", "Cf")
    )
    mapped = kept.translate(LOOKALIKES)
    if mapped == kept:
        return kept
    # A Russian or Greek word stays itself; only a word that mixes scripts, or that is made
    # wholly of look-alikes, is read as Latin.
    return "".join(_lookalike_word(word) for word in re.split(r"(\W+)", kept))


def _lookalike_word(word: str) -> str:
    mapped = word.translate(LOOKALIKES)
    if mapped == word:
        return word
    foreign = [c for c in word if c.isalpha() and not c.isascii()]
    if LATIN.search(word) or all(ord(c) in LOOKALIKES for c in foreign):
        return mapped
    return word


def _unleet(match: re.Match[str]) -> str:
    token = match.group(0)
    letters = sum(c.isalpha() for c in token)
    # A lone "!" ending a word is punctuation, not an "i": only swap inside a word.
    stripped = token.rstrip("!")
    # Without a letter it is a number ("100", "$5", "10*5"), unless an asterisk masks a letter
    # beside a swap symbol no number holds ("!*107").
    masked = "*" in stripped[1:] and any(c in "!@|" for c in stripped)
    if (letters == 0 and not masked) or not stripped:
        return token
    return stripped.translate(LEET) + token[len(stripped) :]


def _canonical_word(word: str) -> str:
    """Fold, unleet and shorten one token until it no longer changes."""
    previous = None
    # Folding can expose characters that fold again (rare compatibility forms): repeat until
    # stable so normalize() is idempotent.
    for _ in range(4):
        if word == previous:
            break
        previous = word
        word = _fold(word)
        word = TOKEN.sub(_unleet, word)
        word = RUNS.sub(r"\1\1", word)
    return word


@dataclass(frozen=True)
class Token:
    """One canonical token and where it came from in the original text."""

    text: str
    start: int
    end: int
    # Whether a line break separates it from the previous token.
    new_line: bool = False
    # Whether a wide gap (two blanks or more) separates it: words of spaced letters ("s t a b
    # t h e   r e f") are set apart by wider gaps than their letters.
    wide_gap: bool = False


def _spaced_chars(word: str) -> str | None:
    """The characters of a spaced-out word's token ("i", "i.d.i", "-"), or None for a word."""
    core = word.rstrip("!?,;:")
    if SEPARATOR_RUN.fullmatch(core):
        return ""
    parts = [p for p in SEPARATOR_RUN.split(core) if p]
    # One asterisk between letters masks a letter ("f*ck", "k*ll"); it separates only when
    # there are several ("s*c*u*m").
    if "*" in core and len(SEPARATOR_RUN.findall(core.strip(SPACED_SEPARATORS))) < 2:
        return None
    # Each part one character, or one letter stretched ("i d i o tttt").
    if not parts or not all(SPACED_PART.fullmatch(p) for p in parts):
        return None
    return "".join(p[0] for p in parts)


def _join_spaced(tokens: list[Token]) -> list[Token]:
    """Join runs of single letters ("i d i o t", "m . o . r", "u.s.e.l.e.s.s") into one word."""
    joined: list[Token] = []
    run: list[tuple[Token, str]] = []

    def spaced_word(pieces: list[tuple[Token, str]]) -> bool:
        letters = "".join(chars for _, chars in pieces)
        # Three characters, two of them letters once leetspeak is undone ("1 d 1 0 7"), one of
        # them a letter as written: "4 - 4 - 2" and "J. K." stay apart.
        return (
            len(letters) >= 3
            and any(c.isalpha() for c in letters)
            and sum(c.isalpha() for c in letters.translate(LEET)) >= 2
        )

    def flush() -> None:
        # "a" is a word: "you are a m o r o n" keeps its article (but "a s s h o l e" opening a
        # line is one word).
        first = run[0][0] if run else None
        if (
            first is not None
            and first.text == "a"
            and joined
            and not first.new_line
            and spaced_word(run[1:])
        ):
            joined.append(run.pop(0)[0])
        letters = "".join(chars for _, chars in run)
        if spaced_word(run):
            first, last = run[0][0], run[-1][0]
            joined.append(Token(_canonical_word(letters), first.start, last.end, first.new_line))
        else:
            joined.extend(token for token, _ in run)
        run.clear()

    def narrow_gaps(pieces: list[tuple[Token, str]]) -> bool:
        # Letters spread with wide gaps throughout ("i   d   i   o   t") are still one word.
        return any(not t.wide_gap for t, _ in pieces[1:])

    for token in tokens:
        chars = _spaced_chars(token.text)
        # A line break ends a run: a list of single letters on separate lines stays a list.
        if chars is None or token.new_line or (token.wide_gap and narrow_gaps(run)):
            flush()
        if chars is None:
            joined.append(token)
        else:
            run.append((token, chars))
            # "a, b, c" is a list, not a spaced word: punctuation after a letter ends the run.
            if token.text[-1] in "!?,;:":
                flush()
    flush()
    return joined


def normalized(text: str) -> list[Token]:
    """The canonical tokens of a text, each with its span in the original."""
    tokens: list[Token] = []
    previous_end = 0
    for match in WORDS.finditer(text):
        gap = text[previous_end : match.start()]
        new_line = bool(tokens) and any(c in LINE_BREAKS for c in gap)
        previous_end = match.end()
        canonical = _canonical_word(match.group(0))
        # The token's span leaves out the punctuation around the word, for highlighting.
        start, end = match.span()
        word = match.group(0)
        core = word.strip(EDGE_PUNCTUATION)
        if core:
            start += len(word) - len(word.lstrip(EDGE_PUNCTUATION))
            end -= len(word) - len(word.rstrip(EDGE_PUNCTUATION))
        # Folding can yield a blank inside a word (a spacing accent): split there.
        for i, part in enumerate(canonical.split()):
            first = i == 0
            tokens.append(Token(part, start, end, new_line and first, first and len(gap) > 1))
    return _join_spaced(tokens)


def render(tokens: Iterable[Token]) -> str:
    """Join canonical tokens: a space between words, a line break where a line ended."""
    parts: list[str] = []
    for token in tokens:
        if parts:
            parts.append("\n" if token.new_line else " ")
        parts.append(token.text)
    return "".join(parts)


def normalize(text: str) -> str:
    """Return the canonical form used for every text rule and model."""
    return render(normalized(text))


def original_spans(tokens: list[Token], spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Map character spans of render(tokens) back to spans of the original text."""
    offsets = []
    position = 0
    for i, token in enumerate(tokens):
        if i:
            position += 1
        offsets.append((position, position + len(token.text), token))
        position += len(token.text)
    found: list[tuple[int, int]] = []
    for start, end in spans:
        covered = [t for s, e, t in offsets if s < end and e > start]
        if covered:
            found.append((covered[0].start, covered[-1].end))
    return _merge(found)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _word_pattern(word: str) -> str:
    """Pattern for one listed word: letters may be stretched or masked, spaces may vary."""
    canonical = normalize(word)
    parts = []
    for run in re.finditer(r"(.)\1*", canonical):
        char, count = run.group(1), len(run.group(0))
        if char == " ":
            parts.append(r"[\s\W_]+")
            continue
        letter = re.escape(char) + (f"{{{count},}}" if count > 1 else "+")
        # After the first letter, an asterisk may stand for a letter ("f*ck", "b**ch").
        parts.append(letter if not parts or not char.isalpha() else f"(?:{letter}|\\*{{{count}}})")
    # A listed word also matches its plural ("faggot" finds "faggots").
    plural = r"(?:e?s)?" if canonical[-1:].isalpha() else ""
    return "".join(parts) + plural


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
