"""What a reader typed, parsed into terms both backends can run without a syntax error.

The syntax is the one people know from web search engines (and PostgreSQL's
websearch_to_tsquery): words are all required, "quoted words" must appear together,
`-word` or `NOT word` leaves out what has it, `OR` between two terms accepts either.
Everything else, FTS5 operators and punctuation included, is only a word separator: each
term reaches the database quoted, so no input can be read as query syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Enough for any real search; a pasted page is cut here, not sent to the database.
MAX_QUERY_CHARS = 500
MAX_TERMS = 16
MAX_PHRASE_WORDS = 12

_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")
_TOKEN = re.compile(r'(?P<neg>-?)(?:"(?P<phrase>[^"]*)"?|(?P<chunk>[^\s"]+))')
_WORD = re.compile(r"[^\W_]+")


def query_clean(value: str | None) -> str:
    """Return what a reader typed without control characters, on one line, within the limit."""
    text = _CONTROL.sub(" ", value or "")
    return " ".join(text.split())[:MAX_QUERY_CHARS]


@dataclass(frozen=True)
class Term:
    """A word, or words that must appear one after another."""

    words: tuple[str, ...]

    @property
    def quoted(self) -> str:
        """The term as a double-quoted string: a phrase to FTS5 and to websearch_to_tsquery."""
        # Words are letters and digits only, so nothing inside the quotes is syntax.
        return '"' + " ".join(self.words) + '"'


@dataclass(frozen=True)
class ParsedQuery:
    """Required groups of alternatives, and the terms that exclude an article."""

    text: str
    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    shortened: bool = False

    @property
    def is_empty(self) -> bool:
        """Whether there is nothing to look for (no word, or only exclusions)."""
        return not self.groups

    def fts5(self) -> str:
        """The query in SQLite FTS5's syntax, every term a quoted string."""
        required = " AND ".join(
            "(" + " OR ".join(term.quoted for term in group) + ")" for group in self.groups
        )
        if not self.excluded:
            return required
        return f"({required}) NOT (" + " OR ".join(t.quoted for t in self.excluded) + ")"


def query_parse(value: str | None) -> ParsedQuery:
    """Parse what a reader typed; never fails, whatever the input."""
    raw = value or ""
    text = query_clean(raw)
    shortened = len(" ".join(_CONTROL.sub(" ", raw).split())) > MAX_QUERY_CHARS
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    seen: set[tuple[bool, tuple[str, ...]]] = set()
    either = negate_next = False
    count = 0
    for match in _TOKEN.finditer(text):
        phrase, chunk = match["phrase"], match["chunk"]
        negated = bool(match["neg"]) or negate_next
        negate_next = False
        if phrase is None:
            keyword = chunk if chunk.isupper() else ""
            if chunk.lower() == "or" and not match["neg"]:
                either = bool(groups)
                continue
            if keyword == "AND" and not match["neg"]:
                continue
            if keyword == "NOT" and not match["neg"]:
                negate_next = True
                continue
        words = tuple(w.lower() for w in _WORD.findall(phrase if phrase is not None else chunk))
        if not words:
            continue
        if len(words) > MAX_PHRASE_WORDS:
            words, shortened = words[:MAX_PHRASE_WORDS], True
        if count >= MAX_TERMS:
            shortened = True
            break
        key = (negated, words)
        if key in seen:
            continue
        seen.add(key)
        count += 1
        term = Term(words)
        if negated:
            excluded.append(term)
            either = False
        elif either and groups:
            groups[-1].append(term)
            either = False
        else:
            groups.append([term])
    return ParsedQuery(
        text=text,
        groups=tuple(tuple(group) for group in groups),
        excluded=tuple(excluded),
        shortened=shortened,
    )
