"""An article's suggested topics: names on the editors' list, then the model's, ranked.

Only the article's own text is read (headline, dek, body), never its comments. A name in the
headline or dek counts extra; the top TOPICS_SUGGEST_MAX are kept, plus every listed topic named.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from django.conf import settings

from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article, ArticleTopic, Topic
from broadsheet.newsroom.services import TopicsSuggested, TopicSuggestion
from broadsheet.search.topics import extract
from broadsheet.search.topics.matching import EditorsList, ListedTopic, name_clean, name_key

HEADLINE_WEIGHT = 3
DEK_WEIGHT = 2
BODY_WEIGHT = 1
NAME_MAX = Topic._meta.get_field("name").max_length or 120
# Characters that never occur in a name people write about, but do in handles, tags and links.
_NOT_IN_NAMES = set("@#_/\\|=+*<>{}[]~^")
_BLOCKS = {
    "p", "div", "li", "ul", "ol", "blockquote", "pre", "table", "tr", "td", "th",
    "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "br", "hr",
}  # fmt: skip


@dataclass(frozen=True)
class Segment:
    """A run of the article's text, and how much a mention in it counts."""

    text: str
    weight: int


class _BlockText(HTMLParser):
    """Collect the text of each block of sanitized HTML, so sentences never run together."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._parts: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text:
            self.blocks.append(text)
        self._parts = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        self._parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_blocks(fragment: str) -> list[str]:
    """Return the text of each paragraph, heading or list item of an HTML fragment."""
    parser = _BlockText()
    parser.feed(fragment)
    parser.close()
    return [unescape(block) for block in parser.blocks]


def article_segments(article: Article) -> list[Segment]:
    """Return the article's headline, dek and body paragraphs, each with its weight."""
    segments = [Segment(article.headline, HEADLINE_WEIGHT), Segment(article.dek, DEK_WEIGHT)]
    # The rendered body, not the Markdown: link targets and markup are not the story's words.
    segments += [Segment(block, BODY_WEIGHT) for block in html_blocks(article.body_html)]
    return [s for s in segments if s.text.strip()]


@dataclass
class _Candidate:
    """A name found in the text, with every mention of it so far."""

    key: str
    listed: ListedTopic | None = None
    spellings: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    mentions: int = 0
    score: int = 0
    first: tuple[float, float] = (math.inf, math.inf)

    def add(self, spelling: str, kind: str, weight: int, where: tuple[int, int]) -> None:
        self.spellings[spelling] += 1
        self.kinds[kind] += 1
        self.mentions += 1
        self.score += weight
        self.first = min(self.first, where)

    def absorb(self, other: _Candidate) -> None:
        self.mentions += other.mentions
        self.score += other.score
        self.first = min(self.first, other.first)

    @property
    def name(self) -> str:
        if self.listed is not None:
            return self.listed.name
        # The spelling used most; on a tie, the one the text used first.
        return self.spellings.most_common(1)[0][0]

    @property
    def kind(self) -> str:
        if self.listed is not None:
            return self.listed.kind
        return self.kinds.most_common(1)[0][0]

    @property
    def words(self) -> list[str]:
        return self.key.split()


def plausible(name: str) -> bool:
    """Whether a name the model found looks like a person, organisation or place, not junk."""
    words = name.split()
    if not words or len(name) > NAME_MAX or len(words) > 8:
        return False
    if len(name) < 2 or not any(c.isalpha() for c in name):
        return False
    # Names are capitalised somewhere ("al-Assad" too); "ahorv" or a lowercase phrase is not one.
    if not any(c.isupper() for c in name):
        return False
    if _NOT_IN_NAMES & set(name) or "http" in name.lower() or "www." in name.lower():
        return False
    # A single word with digits is a user handle ("5thDrawer") or a measure ("0.3C"), unless it
    # is an acronym such as "G7".
    if len(words) == 1 and any(c.isdigit() for c in name):
        return name[0].isalpha() and name.isupper()
    return True


def _surnames_merge(candidates: dict[str, _Candidate]) -> None:
    """Fold a surname-only mention into the one full name in the text that ends with it."""
    people = [c for c in candidates.values() if c.kind == Topic.Kind.PERSON and len(c.words) >= 2]
    for key, short in list(candidates.items()):
        if short.listed is not None or len(short.words) != 1:
            continue
        # Mostly tagged a place, it is one: "Jordan" the country stays apart from a Michael Jordan.
        if short.kinds[Topic.Kind.PLACE] * 2 > sum(short.kinds.values()):
            continue
        full = [p for p in people if p is not short and p.words[-1] == short.key]
        if len(full) == 1:
            full[0].absorb(short)
            del candidates[key]


def topics_suggest(
    segments: Sequence[Segment], *, editors_list: EditorsList, limit: int
) -> list[TopicSuggestion]:
    """Return the topics the segments name, the most prominent first."""
    candidates: dict[str, _Candidate] = {}

    def candidate(key: str, listed: ListedTopic | None) -> _Candidate:
        if listed is not None:
            key = name_key(listed.name)
        slot = f"list:{listed.id}" if listed is not None else key
        if slot not in candidates:
            candidates[slot] = _Candidate(key=key, listed=listed)
        return candidates[slot]

    listed_spans: list[list[tuple[int, int]]] = []
    for index, segment in enumerate(segments):
        spans = []
        for match in editors_list.find(segment.text):
            spans.append((match.start, match.end))
            candidate("", match.topic).add(
                match.topic.name, match.topic.kind, segment.weight, (index, match.start)
            )
        listed_spans.append(spans)

    found = extract.mentions([s.text for s in segments]) if segments else []
    for index, (segment, mentions) in enumerate(zip(segments, found, strict=True)):
        for mention in mentions:
            # The editors' list has already claimed this span, with its own kind and spelling.
            claimed = listed_spans[index]
            if any(mention.start < end and start < mention.end for start, end in claimed):
                continue
            name = name_clean(mention.text)
            if not name:
                continue
            slot = candidate(name_key(name), editors_list.get(name))
            slot.add(name, mention.kind, segment.weight, (index, mention.start))

    _surnames_merge(candidates)

    def rank(c: _Candidate) -> tuple[float, float, float]:
        return (-c.score, *c.first)

    listed = [c for c in candidates.values() if c.listed is not None]
    guessed = sorted(
        (c for c in candidates.values() if c.listed is None and plausible(c.name)), key=rank
    )
    kept = sorted(listed + guessed[: max(limit - len(listed), 0)], key=rank)
    return [
        TopicSuggestion(
            name=c.name,
            kind=c.kind,
            mentions=c.mentions,
            origin=(ArticleTopic.Origin.LIST if c.listed else ArticleTopic.Origin.MODEL).value,
            topic_id=c.listed.id if c.listed else None,
        )
        for c in kept
    ]


def article_topics_suggestions(article: Article) -> list[TopicSuggestion]:
    """Return the topics to suggest for the article, from its text and the editors' list."""
    return topics_suggest(
        article_segments(article),
        editors_list=EditorsList.load(),
        limit=settings.TOPICS_SUGGEST_MAX,
    )


@dataclass(frozen=True)
class TopicsRefreshed:
    """The suggestions computed for an article, and what storing them did (None: a dry run)."""

    article: Article
    suggestions: list[TopicSuggestion]
    stored: TopicsSuggested | None


def article_topics_refresh(*, article: Article, dry_run: bool = False) -> TopicsRefreshed:
    """Recompute the article's suggested topics and store them, unless it is a dry run."""
    # The model runs outside any transaction: it takes milliseconds per paragraph.
    suggestions = article_topics_suggestions(article)
    stored = (
        None
        if dry_run
        else services.article_topics_suggest(article=article, suggestions=suggestions)
    )
    return TopicsRefreshed(article=article, suggestions=suggestions, stored=stored)
