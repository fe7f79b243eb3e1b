"""A Disqus XML export read as a stream of threads and posts, in bounded memory.

The format (what Disqus's "Export comments" mails, and what Isso and Remark42 read): a
<disqus xmlns="http://disqus.com"> root holding <category> elements, then every <thread
dsq:id> (its <link>, <title>, <id> identifier, <createdAt>, <isClosed>, <isDeleted>), then every
<post dsq:id> (<message> HTML, <createdAt>, <isDeleted>, <isSpam>, <author> with <name>, maybe
<email>, <isAnonymous>, <username>, then <thread dsq:id/> and maybe <parent dsq:id/>).
"""

from __future__ import annotations

import xml.sax
import xml.sax.handler
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml.expatreader import create_parser

from broadsheet.ingest.xmlstream import DEFAULT_MAX_BYTES, ImportFileError, Record, RecordStream

NS = "http://disqus.com"
DSQ = "http://disqus.com/disqus-internals"
ROOT = f"{{{NS}}}disqus"
THREAD = f"{{{NS}}}thread"
POST = f"{{{NS}}}post"
CATEGORY = f"{{{NS}}}category"
DSQ_ID = f"{{{DSQ}}}id"
SNIFF_BYTES = 1 << 16
KNOWN_ROOTS = {
    "rss": "an RSS feed or a WordPress export (import it with import_wxr)",
    "feed": "an Atom feed",
}


@dataclass(frozen=True)
class DisqusThread:
    """One Disqus thread: the page its comments were left on."""

    dsq_id: str
    link: str
    title: str
    identifier: str
    created_at: datetime | None
    is_closed: bool
    is_deleted: bool
    line: int


@dataclass(frozen=True)
class DisqusPost:
    """One Disqus post (a comment) as the file gives it; email only when the file has one."""

    dsq_id: str
    thread_id: str
    parent_id: str
    message: str
    created_at: datetime | None
    is_deleted: bool
    is_spam: bool
    author_name: str
    author_email: str
    author_username: str
    is_anonymous: bool
    line: int


def _text(element: Element, name: str) -> str:
    return (element.findtext(f"{{{NS}}}{name}") or "").strip()


def _flag(element: Element, name: str) -> bool:
    return _text(element, name).lower() == "true"


def _ref(element: Element, name: str) -> str:
    child = element.find(f"{{{NS}}}{name}")
    return (child.get(DSQ_ID) or "").strip() if child is not None else ""


def _date(value: str, *, where: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ImportFileError(f"{where}: <createdAt> {value!r} is not an ISO 8601 date.") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class _RootFound(Exception):
    def __init__(self, tag: str) -> None:
        self.tag = tag


class _RootHandler(xml.sax.handler.ContentHandler):
    def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802 (SAX's name)
        uri, local = name
        raise _RootFound(f"{{{uri}}}{local}" if uri else local)


def root_tag(path: Path) -> str:
    """The document element's tag, read from the file's start; "" when it cannot be told.

    Only a hint for a clear message ("this is a WordPress export"): every real error in the
    file is left to the record stream, which names its place.
    """
    parser = create_parser()
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setContentHandler(_RootHandler())
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(SNIFF_BYTES):
                parser.feed(chunk)
    except _RootFound as found:
        return found.tag
    except Exception:  # noqa: BLE001 (the record stream reports it properly)
        return ""
    return ""


def _root_name(tag: str) -> str:
    local = tag.rsplit("}", 1)[-1]
    known = KNOWN_ROOTS.get(local)
    shown = f"<{local}>" + (f" in namespace {tag[1:].split('}')[0]}" if tag.startswith("{") else "")
    return f"{shown}, {known}" if known else shown


def read_export(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[DisqusThread | DisqusPost]:
    """Yield the file's threads and posts in file order; raise ImportFileError for a bad file."""
    stream = RecordStream(path, record_tags={THREAD, POST, CATEGORY}, max_bytes=max_bytes)
    found = root_tag(path)
    if found and found != ROOT:
        raise ImportFileError(
            f"{path}: not a Disqus export: the root element is {_root_name(found)}, "
            f'not <disqus xmlns="{NS}">.'
        )
    for record in stream:
        item = _item(path, record)
        if item is not None:
            yield item


def _item(path: Path, record: Record) -> DisqusThread | DisqusPost | None:
    element = record.element
    where = f"{path}, line {record.line}"
    if element.tag == CATEGORY:
        return None
    dsq_id = (element.get(DSQ_ID) or "").strip()
    name = element.tag.rsplit("}", 1)[-1]
    if not dsq_id:
        raise ImportFileError(f"{where}: <{name}> has no dsq:id attribute.")
    created_at = _date(_text(element, "createdAt"), where=where)
    if element.tag == THREAD:
        return DisqusThread(
            dsq_id=dsq_id,
            link=_text(element, "link"),
            title=_text(element, "title"),
            identifier=_text(element, "id"),
            created_at=created_at,
            is_closed=_flag(element, "isClosed"),
            is_deleted=_flag(element, "isDeleted"),
            line=record.line,
        )
    thread_id = _ref(element, "thread")
    if not thread_id:
        raise ImportFileError(f'{where}: <post dsq:id="{dsq_id}"> names no thread.')
    author = element.find(f"{{{NS}}}author")
    author = author if author is not None else Element("author")
    return DisqusPost(
        dsq_id=dsq_id,
        thread_id=thread_id,
        parent_id=_ref(element, "parent"),
        # The message is HTML; it may sit in CDATA or be escaped, either reads the same here.
        message=element.findtext(f"{{{NS}}}message") or "",
        created_at=created_at,
        is_deleted=_flag(element, "isDeleted"),
        is_spam=_flag(element, "isSpam"),
        author_name=_text(author, "name"),
        author_email=_text(author, "email"),
        author_username=_text(author, "username"),
        is_anonymous=_flag(author, "isAnonymous"),
        line=record.line,
    )
