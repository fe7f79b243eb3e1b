"""Disguise a word the way evaders do: the corpus's generated variants and the property tests.

Every transform here is one that `normalize()` must undo (or `WordMatcher` must see through):
leetspeak, full-width and mathematical letters, small caps, Cyrillic and Greek look-alikes,
emoji letters, accents, zero-width characters, stretched letters, asterisks, spaced letters.
"""

from __future__ import annotations

import random
import unicodedata

LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7"}
SMALL_CAPS = dict(zip("abcdefghijklmnopqrstuvwyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ", strict=True))
LOOKALIKE = {
    "a": "аα",
    "c": "с",
    "e": "еε",
    "i": "іι",
    "j": "ј",
    "o": "оο",
    "p": "рρ",
    "s": "ѕ",
    "x": "хχ",
    "y": "у",
    "k": "κ",
}
# Mathematical alphabets without reserved holes: bold, bold italic, sans-serif, monospace.
MATH_STARTS = (0x1D41A, 0x1D482, 0x1D5BA, 0x1D68A)
INVISIBLES = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad")
ACCENTS = ("\u0301", "\u0300", "\u0308", "\u0302")
EMOJI_STARTS = (0x1F170, 0x1F150, 0x1F1E6)  # 🅰, 🅐, 🇦
SEPARATORS = (" ", ".", "-", " . ", "*", "_")

LETTER_TRANSFORMS = (
    "leet",
    "fullwidth",
    "math",
    "small_caps",
    "lookalike",
    "emoji",
    "accent",
    "upper",
    "invisible",
    "stretch",
    "plain",
)


def _letter(char: str, how: str, rng: random.Random, *, first: bool, last: bool) -> str:
    """One letter disguised one way (or left alone when the way does not apply to it)."""
    if not char.isascii() or not char.isalpha():
        return char
    lower = char.lower()
    index = ord(lower) - ord("a")
    if how == "leet" and lower in LEET:
        # "!" closing a word reads as punctuation, so evaders use it only inside a word.
        options = LEET[lower].replace("!", "") if last else LEET[lower]
        return rng.choice(options) if options else char
    if how == "fullwidth":
        return chr(ord(char) + 0xFEE0)
    if how == "math":
        return chr(rng.choice(MATH_STARTS) + index)
    if how == "small_caps" and lower in SMALL_CAPS:
        return SMALL_CAPS[lower]
    if how == "lookalike" and lower in LOOKALIKE:
        return rng.choice(LOOKALIKE[lower])
    if how == "emoji":
        return chr(rng.choice(EMOJI_STARTS) + index)
    if how == "accent":
        return unicodedata.normalize("NFC", char + rng.choice(ACCENTS))
    if how == "upper":
        return char.upper()
    if how == "invisible" and not last:
        return char + rng.choice(INVISIBLES)
    if how == "stretch":
        return char * rng.randint(3, 6)
    return char


def disguise(word: str, rng: random.Random, *, ways: tuple[str, ...] = LETTER_TRANSFORMS) -> str:
    """The word with each letter disguised by a way drawn from `ways`, sometimes spaced out."""
    letters = [
        _letter(c, rng.choice(ways), rng, first=i == 0, last=i == len(word) - 1)
        for i, c in enumerate(word)
    ]
    if " " not in word and len(word) >= 3 and rng.random() < 0.25:
        # Spaced letters: "i d i o t", "m.o.r.o.n" (a lone "!" would read as punctuation).
        return rng.choice(SEPARATORS).join(c.replace("!", "1") for c in letters)
    if " " not in word and len(word) >= 4 and rng.random() < 0.15:
        # An asterisk for one inner letter that is not doubled: "f*ck", "id*ot".
        position = rng.randrange(1, len(word) - 1)
        neighbours = (word[position - 1], word[position + 1])
        if word[position].isalpha() and word[position] not in neighbours:
            letters[position] = "*"
    return "".join(letters)


def disguise_text(text: str, words: set[str], rng: random.Random) -> str:
    """The text with the listed words (and, at random, a few other long words) disguised.

    As an evader writes: one or two ways per word, about half its letters changed.
    """
    out = []
    disguisable = [w for w in LETTER_TRANSFORMS if w != "plain"]
    for token in text.split(" "):
        bare = token.strip(".,!?;:'\"()").lower()
        if bare and (bare in words or (len(bare) >= 5 and rng.random() < 0.1)):
            start = token.lower().index(bare)
            core = token[start : start + len(bare)]
            ways = (*rng.sample(disguisable, rng.choice((1, 1, 2))), "plain")
            out.append(token[:start] + disguise(core, rng, ways=ways) + token[start + len(bare) :])
        else:
            out.append(token)
    return " ".join(out)
