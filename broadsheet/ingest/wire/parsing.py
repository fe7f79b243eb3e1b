"""Wire feeds read into items: RSS 2.0 and Atom 1.0 through feedparser; JSON Feed and ninjs here."""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import feedparser
from django.utils.dateparse import parse_datetime

FORMATS = ("auto", "rss", "atom", "jsonfeed", "ninjs")
HEADLINE_MAX = 300
# Entity declarations are how billion-laughs and external-entity attacks start: no agency needs one.
ENTITY_RE = re.compile(rb"<!ENTITY", re.IGNORECASE)
BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr"}
SKIPPED_TAGS = {"script", "style", "template"}


class FeedError(ValueError):
    """The answer is not a feed in a format the desk reads; the message says where and why."""


@dataclass(frozen=True)
class ParsedItem:
    """One story as a feed carried it, in plain-text paragraphs."""

    guid: str
    headline: str
    lead: str = ""
    paragraphs: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    link: str = ""
    version: int = 1
    published_at: datetime | None = None
    updated_at: datetime | None = None
    embargo_until: datetime | None = None


class _TextBlocks(HTMLParser):
    """Split HTML into paragraphs of text, with figure captions kept apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.captions: list[str] = []
        self._buffer: list[str] = []
        self._in_caption = 0
        self._skipping = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if text:
            (self.captions if self._in_caption else self.paragraphs).append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        elif tag == "figcaption":
            self._flush()
            self._in_caption += 1
        elif tag in BLOCK_TAGS:
            self._flush()
        elif tag == "br":
            self._buffer.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "figcaption":
            self._flush()
            self._in_caption = max(0, self._in_caption - 1)
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._buffer.append(data)

    def result(self) -> tuple[list[str], list[str]]:
        self.close()
        self._flush()
        return self.paragraphs, self.captions


def html_blocks(html: str) -> tuple[list[str], list[str]]:
    """Return the paragraphs and figure captions of an HTML fragment, as plain text."""
    parser = _TextBlocks()
    parser.feed(html)
    return parser.result()


def text_blocks(text: str) -> list[str]:
    """Split plain text into paragraphs at blank lines (single lines when there are none)."""
    text = text.replace("\r\n", "\n").strip()
    parts = re.split(r"\n\s*\n", text) if "\n\n" in text else text.split("\n")
    return [" ".join(p.split()) for p in parts if p.strip()]


def _plain(value: str) -> str:
    paragraphs, _ = html_blocks(value or "")
    return " ".join(paragraphs)


def _headline(value: str, *, where: str) -> str:
    headline = " ".join((value or "").split())
    if not headline:
        raise FeedError(f"{where}: the item has no headline.")
    return headline[:HEADLINE_MAX]


def _when(value: Any) -> datetime | None:
    """An aware UTC time from an ISO 8601 string; None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = parse_datetime(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _struct_time(value: Any) -> datetime | None:
    # feedparser gives UTC struct_time tuples.
    return datetime.fromtimestamp(calendar.timegm(value), tz=UTC) if value else None


def _version(value: Any) -> int:
    try:
        return max(1, int(str(value).strip()))
    except (TypeError, ValueError):
        return 1


def _item(
    *,
    guid: str,
    headline: str,
    lead: str,
    paragraphs: list[str],
    captions: list[str],
    **fields: Any,
) -> ParsedItem:
    """Settle lead and body: a lead repeated as the first paragraph is not printed twice."""
    lead = " ".join(lead.split())
    if not paragraphs and lead:
        paragraphs = [lead]
    if not lead and paragraphs:
        lead = paragraphs[0]
    return ParsedItem(
        guid=guid[:500],
        headline=headline,
        lead=lead,
        paragraphs=tuple(paragraphs),
        captions=tuple(dict.fromkeys(c for c in captions if c)),
        **fields,
    )


def detect_format(content: bytes) -> str:
    """Guess a feed's format from its first bytes and keys."""
    head = content.lstrip()[:1]
    if head not in (b"{", b"["):
        return "xml"
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError(f"not JSON: {exc}") from None
    if isinstance(data, dict) and str(data.get("version", "")).startswith("https://jsonfeed.org"):
        return "jsonfeed"
    return "ninjs"


def parse_feed(content: bytes, *, fmt: str = "auto") -> list[ParsedItem]:
    """Read a feed's items; raise FeedError when the content is not a feed of that format."""
    if fmt not in FORMATS:
        raise FeedError(f"unknown format {fmt!r}")
    if not content.strip():
        raise FeedError("the answer is empty")
    kind = detect_format(content) if fmt == "auto" else fmt
    if kind == "jsonfeed":
        return parse_jsonfeed(content)
    if kind == "ninjs":
        return parse_ninjs(content)
    return parse_xml_feed(content, expected=None if kind == "xml" else kind)


def parse_xml_feed(content: bytes, *, expected: str | None = None) -> list[ParsedItem]:
    """Read RSS 2.0 or Atom 1.0 through feedparser."""
    if ENTITY_RE.search(content[:65536]):
        raise FeedError("the feed declares XML entities, which are refused")
    parsed = feedparser.parse(content)
    version = parsed.get("version", "")
    if not version:
        problem = parsed.get("bozo_exception")
        raise FeedError(f"not an RSS or Atom feed ({problem or 'no feed element'})")
    kind = "atom" if version.startswith("atom") else "rss"
    if expected and kind != expected:
        raise FeedError(f"expected {expected}, found {version}")
    items = []
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"item {number}"
        content_html = entry["content"][0].get("value", "") if entry.get("content") else ""
        summary = entry.get("summary", "")
        paragraphs, captions = html_blocks(content_html or summary)
        lead = _plain(summary) if content_html and summary else ""
        link = entry.get("link", "")
        guid = entry.get("id") or link or entry.get("title", "")
        if not guid:
            raise FeedError(f"{where}: the item has neither id nor link")
        items.append(
            _item(
                guid=guid,
                headline=_headline(entry.get("title", ""), where=where),
                lead=lead,
                paragraphs=paragraphs,
                captions=captions,
                link=link[:500],
                published_at=_struct_time(entry.get("published_parsed")),
                # Read past feedparser's deprecated fallback from "updated" to "published".
                updated_at=_struct_time(dict.get(entry, "updated_parsed")),
            )
        )
    return items


def _json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except UnicodeDecodeError as exc:
        raise FeedError(f"not UTF-8 JSON: {exc.reason} at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise FeedError(f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None


def parse_jsonfeed(content: bytes) -> list[ParsedItem]:
    """Read a JSON Feed 1.0/1.1 document."""
    data = _json(content)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FeedError("not a JSON Feed: no items list")
    items = []
    for number, entry in enumerate(data["items"], start=1):
        where = f"item {number}"
        if not isinstance(entry, dict) or not str(entry.get("id", "")).strip():
            raise FeedError(f"{where}: the item has no id")
        if entry.get("content_html"):
            paragraphs, captions = html_blocks(str(entry["content_html"]))
        else:
            paragraphs, captions = text_blocks(str(entry.get("content_text", ""))), []
        items.append(
            _item(
                guid=str(entry["id"]),
                headline=_headline(str(entry.get("title", "")), where=where),
                lead=str(entry.get("summary", "")),
                paragraphs=paragraphs,
                captions=captions,
                link=str(entry.get("url", ""))[:500],
                published_at=_when(entry.get("date_published")),
                updated_at=_when(entry.get("date_modified")),
            )
        )
    return items


def _ninjs_text(item: dict[str, Any], *names: str) -> str:
    """The first of `names` present, as text: ninjs 1.x has strings, 2.x lists of objects."""
    for name in names:
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, dict) and value:
            return str(next(iter(value.values())))
        if isinstance(value, list) and value:
            first = value[0]
            if isinstance(first, dict):
                return str(first.get("value", ""))
            return str(first)
    return ""


def _ninjs_body(item: dict[str, Any]) -> tuple[list[str], list[str]]:
    bodies = item.get("bodies")  # ninjs 2.x: [{"role", "contenttype", "value"}]
    if isinstance(bodies, list):
        for body in bodies:
            if isinstance(body, dict) and "html" in str(body.get("contenttype", "")):
                return html_blocks(str(body.get("value", "")))
        for body in bodies:
            if isinstance(body, dict) and body.get("value"):
                return text_blocks(str(body["value"])), []
    if item.get("body_html"):
        return html_blocks(str(item["body_html"]))
    return text_blocks(str(item.get("body_text", ""))), []


def _ninjs_captions(item: dict[str, Any]) -> list[str]:
    associations = item.get("associations")
    # ninjs 1.x: an object keyed by name; 2.x: a list with "name" in each.
    if isinstance(associations, dict):
        values = list(associations.values())
    elif isinstance(associations, list):
        values = associations
    else:
        return []
    captions = []
    for value in values:
        if isinstance(value, dict):
            text = _ninjs_text(value, "description_text", "descriptions", "headline", "headlines")
            if text.strip():
                captions.append(" ".join(text.split()))
    return captions


def _ninjs_link(item: dict[str, Any]) -> str:
    for link in item.get("links") or []:
        if isinstance(link, dict) and link.get("href") and link.get("rel") in (None, "canonical"):
            return str(link["href"])
    uri = str(item.get("uri", ""))
    return uri if uri.startswith(("http://", "https://")) else ""


def parse_ninjs(content: bytes) -> list[ParsedItem]:
    """Read IPTC ninjs 1.x or 2.x: one item, a list of items, or {"items": [...]}."""
    data = _json(content)
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    records = data if isinstance(data, list) else [data]
    items = []
    for number, item in enumerate(records, start=1):
        where = f"item {number}"
        if not isinstance(item, dict) or not str(item.get("uri", "")).strip():
            raise FeedError(f"{where}: not a ninjs item (no uri)")
        paragraphs, captions = _ninjs_body(item)
        items.append(
            _item(
                guid=str(item["uri"]),
                headline=_headline(_ninjs_text(item, "headline", "headlines"), where=where),
                lead=_ninjs_text(item, "description_text", "descriptions"),
                paragraphs=paragraphs,
                captions=captions + _ninjs_captions(item),
                link=_ninjs_link(item)[:500],
                version=_version(item.get("version", 1)),
                published_at=_when(item.get("firstcreated")),
                updated_at=_when(item.get("versioncreated")),
                embargo_until=_when(item.get("embargoed")),
            )
        )
    return items
