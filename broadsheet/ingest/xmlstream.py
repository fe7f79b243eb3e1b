"""Stream the records of a big XML export (WXR, Disqus) in bounded memory, safely.

The file is read in chunks by defusedxml's SAX driver (expat with entity declarations and
external references refused: no billion laughs, no file or network reads), and each record
element (a WordPress <item>, a Disqus <post>) is built as a small ElementTree element, yielded
with the line it started on, then dropped. Children named in `child_tags` (a post's comments)
are streamed one by one instead of kept in their record, so one post with 100,000 comments
costs no more memory than one comment. Everything outside the records (channel metadata)
is kept only as text of the top-level elements, for the caller to read first.
"""

from __future__ import annotations

import xml.sax
import xml.sax.handler
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml.common import DefusedXmlException
from defusedxml.expatreader import create_parser

CHUNK_BYTES = 1 << 20
# Bigger files are refused before a byte is parsed: a site's export of hundreds of MB fits.
DEFAULT_MAX_BYTES = 1 << 30


class ImportFileError(Exception):
    """The file cannot be imported; the message names the file and the place."""


# Record kinds. A record without streamed children comes WHOLE. One with children (a post's
# comments) comes as its HEAD (the fields before the first child), each CHILD on its own, then
# its END (the same element, with any fields that followed the children).
WHOLE, HEAD, CHILD, END = "whole", "head", "child", "end"


@dataclass(frozen=True)
class Record:
    """One record element, the line of the file it starts on, and which part of a record it is."""

    element: Element
    line: int
    kind: str = WHOLE


def file_check(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """Return the file's size, or raise ImportFileError if it is missing, empty or too big."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file.") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror}).") from None
    if not path.is_file():
        raise ImportFileError(f"{path}: not a file.")
    if size == 0:
        raise ImportFileError(f"{path}: the file is empty.")
    if size > max_bytes:
        raise ImportFileError(
            f"{path}: {size / 1e6:,.0f} MB is more than the {max_bytes / 1e6:,.0f} MB an import "
            "reads; split the export (WordPress: by date range or post type)."
        )
    return size


def _clark(name: tuple[str | None, str]) -> str:
    uri, local = name
    return f"{{{uri}}}{local}" if uri else local


class _RecordHandler(xml.sax.handler.ContentHandler):
    """Build record elements (and their streamed children) and collect the header's texts."""

    def __init__(
        self,
        record_tags: frozenset[str],
        child_tags: frozenset[str],
        header_parent: str | None,
    ) -> None:
        super().__init__()
        self.record_tags = record_tags
        self.child_tags = child_tags
        self.header_parent = header_parent
        self.stack: list[str] = []
        self.builder: TreeBuilder | None = None  # the record being built
        self.root: Element | None = None
        self.child: TreeBuilder | None = None  # a streamed child being built
        self.head_sent = False
        self.record_depth = 0
        self.record_line = 0
        self.child_line = 0
        self.ready: list[Record] = []
        self.header: dict[str, str] = {}
        self._text: list[str] = []
        self.locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX's name)
        self.locator = locator

    def _line(self) -> int:
        return (self.locator.getLineNumber() or 0) if self.locator else 0

    def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802
        tag = _clark(name)
        self.stack.append(tag)
        attributes = {_clark(key): value for key, value in attrs.items()}
        if self.child is not None:
            self.child.start(tag, attributes)
        elif self.builder is not None:
            if tag in self.child_tags and len(self.stack) == self.record_depth + 1:
                if not self.head_sent:
                    # The record's own fields come first: send them before its children.
                    root = self.root if self.root is not None else Element(tag)
                    self.ready.append(Record(root, self.record_line, HEAD))
                    self.head_sent = True
                self.child = TreeBuilder()
                self.child.start(tag, attributes)
                self.child_line = self._line()
            else:
                self.builder.start(tag, attributes)
        elif tag in self.record_tags:
            self.builder = TreeBuilder()
            self.root = self.builder.start(tag, attributes)
            self.head_sent = False
            self.record_depth = len(self.stack)
            self.record_line = self._line()
        else:
            self._text = []

    def endElementNS(self, name, qname) -> None:  # noqa: N802
        tag = _clark(name)
        depth = len(self.stack)
        if self.child is not None:
            self.child.end(tag)
            if depth == self.record_depth + 1:
                self.ready.append(Record(self.child.close(), self.child_line, CHILD))
                self.child = None
        elif self.builder is not None:
            self.builder.end(tag)
            if depth == self.record_depth:
                kind = END if self.head_sent else WHOLE
                self.ready.append(Record(self.builder.close(), self.record_line, kind))
                self.builder = self.root = None
        elif depth >= 2 and self.stack[-2] == self.header_parent:
            self.header.setdefault(tag, "".join(self._text).strip())
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.child is not None:
            self.child.data(content)
        elif self.builder is not None:
            self.builder.data(content)
        else:
            self._text.append(content)


def _position(parser) -> str:
    try:
        return f"line {parser.getLineNumber()}, column {parser.getColumnNumber() + 1}"
    except Exception:  # noqa: BLE001 (no position is better than no message)
        return "an unknown place"


class RecordStream:
    """Iterate a file's records; `header` holds the top-level texts seen so far."""

    def __init__(
        self,
        path: Path,
        *,
        record_tags: Collection[str],
        child_tags: Collection[str] = (),
        header_parent: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.path = path
        self.size = file_check(path, max_bytes=max_bytes)
        self.handler = _RecordHandler(frozenset(record_tags), frozenset(child_tags), header_parent)
        self.bytes_read = 0

    @property
    def header(self) -> dict[str, str]:
        return self.handler.header

    def root_tag(self) -> str:
        """The document element's tag (Clark notation), once parsing has begun."""
        return self.handler.stack[0] if self.handler.stack else ""

    def __iter__(self) -> Iterator[Record]:
        parser = create_parser()
        parser.setFeature(xml.sax.handler.feature_namespaces, True)
        parser.setContentHandler(self.handler)
        # SAX gives the locator only to parse(); fed in chunks, the parser is its own locator.
        self.handler.setDocumentLocator(parser)
        where = self.path
        try:
            with self.path.open("rb") as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    self.bytes_read += len(chunk)
                    parser.feed(chunk)
                    yield from self._drain()
                parser.close()
                yield from self._drain()
        except DefusedXmlException as exc:
            raise ImportFileError(
                f"{where}: refused at {_position(parser)}: the file declares entities or "
                f"reaches outside itself ({type(exc).__name__}), which an export never needs."
            ) from None
        except xml.sax.SAXParseException as exc:
            raise ImportFileError(
                f"{where}: not well-formed XML at line {exc.getLineNumber()}, column "
                f"{(exc.getColumnNumber() or 0) + 1}: {exc.getMessage()}"
                + (" (the file ends too soon: truncated?)" if self._at_end() else "")
            ) from None
        except (LookupError, UnicodeError) as exc:
            raise ImportFileError(f"{where}: unreadable text encoding ({exc}).") from None
        except ValueError as exc:
            # expat reports an unknown declared encoding as a ValueError-like error.
            raise ImportFileError(f"{where}: {exc}") from None

    def _drain(self) -> Iterator[Record]:
        ready, self.handler.ready = self.handler.ready, []
        yield from ready

    def _at_end(self) -> bool:
        return self.bytes_read >= self.size
