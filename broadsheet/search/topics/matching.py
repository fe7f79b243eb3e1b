"""The editors' list of names: listed topics and their aliases, found in a text by whole words.

A listed topic wins over the model: wherever its name or an alias appears (any case, on word
boundaries), that span is the listed topic, with the editors' spelling and kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from broadsheet.newsroom.models import Topic

APOSTROPHES = "'\u2019\u2018\u02bc"
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
# Short all-capital spellings are acronyms: "US" must not match "us", nor "AP" "ap".
_ACRONYM = re.compile(r"^[A-Z][A-Z.&]{0,4}$")


def name_clean(text: str) -> str:
    """Return a name as a topic would spell it: one space between words, no leading "the"."""
    name = " ".join(text.split())
    name = _LEADING_THE.sub("", name)
    # Quotes, brackets and dashes around a name belong to the sentence, not to the name.
    return name.strip(' "()[]{}<>,;:!?-\u2013\u2014\u201c\u201d' + APOSTROPHES)


def name_key(text: str) -> str:
    """Return what two spellings of one name have in common (case, spacing, "the", quotes)."""
    name = name_clean(text)
    for mark in APOSTROPHES[1:]:
        name = name.replace(mark, "'")
    return name.casefold()


@dataclass(frozen=True)
class ListedTopic:
    """A topic on the editors' list, with every spelling it is known by."""

    id: int
    name: str
    kind: str
    spellings: tuple[str, ...]


@dataclass(frozen=True)
class ListMatch:
    """Where the text names a listed topic."""

    topic: ListedTopic
    start: int
    end: int


def _spelling_pattern(spelling: str) -> str:
    words = []
    for word in spelling.split():
        escaped = re.escape(word)
        # Either apostrophe matches, as typed or as a word processor curled it.
        for mark in APOSTROPHES:
            escaped = escaped.replace(re.escape(mark), f"[{APOSTROPHES}]")
        words.append(escaped)
    body = r"\s+".join(words)
    if _ACRONYM.match(spelling):
        return body
    return f"(?i:{body})"


class EditorsList:
    """The listed topics, ready to find in texts."""

    def __init__(self, topics: Iterable[ListedTopic]) -> None:
        self.topics = list(topics)
        self._by_key: dict[str, ListedTopic] = {}
        for topic in self.topics:
            for spelling in topic.spellings:
                self._by_key.setdefault(name_key(spelling), topic)
        spellings = sorted(
            {s for t in self.topics for s in t.spellings if name_clean(s)},
            key=lambda s: (-len(s), s),
        )
        # Longest first, so "Quds Force" is found where "Quds" alone is also listed.
        self._pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(_spelling_pattern(s) for s in spellings) + r")(?!\w)"
            )
            if spellings
            else None
        )

    @classmethod
    def load(cls) -> EditorsList:
        """Read the editors' list from the database."""
        rows = Topic.objects.filter(listed=True).only("id", "name", "kind", "aliases")
        return cls(
            ListedTopic(id=t.pk, name=t.name, kind=t.kind, spellings=(t.name, *t.alias_list))
            for t in rows
        )

    def get(self, name: str) -> ListedTopic | None:
        """Return the listed topic spelled `name` (any case), if there is one."""
        return self._by_key.get(name_key(name))

    def find(self, text: str) -> list[ListMatch]:
        """Return every place the text names a listed topic, in order."""
        if self._pattern is None:
            return []
        found = []
        for match in self._pattern.finditer(text):
            topic = self.get(match.group())
            if topic is not None:
                found.append(ListMatch(topic=topic, start=match.start(), end=match.end()))
        return found
