"""Parse the plain-text article page format (a rendered WordPress news page) into typed data.

The format, top to bottom (blank lines separate blocks; line numbers are 1-based):

    <headline>                                  line 1, not indented
    Share:                                      the share row above the article
    <caption>                                   0, 1 or 2 lines directly under "Share:":
    <second caption>                            the photo caption and a second wording
                                                blank line
    <paragraph> ...                             body paragraphs, separated by blank lines
    <SOURCE>/<SOURCE>/...                       the credit line: the last block of the article
    Share:                                      optional share row below the article
    Comments                                    optional heading
    <N> responses to “<headline>”               or "One response to …" / "No responses yet"
      1. <author> Avatar                        a comment: its number, author, avatar alt text
        <body line> ...                         its body, indented one level deeper
        1. <author> Avatar                      a reply: numbered again, one level deeper
      2. <first body line>                      no "Avatar": an anonymous comment
    Leave a Reply                               the reply form (may end the last line unbroken)

The indentation unit is the indentation of the first comment; each level adds one unit, and a
comment's body sits one unit deeper than its number. Siblings are numbered 1, 2, 3 in order. A
line right under the author line that repeats the author's name is the page's rendering of the
name, not part of the comment, and is dropped. At a comment's reply indentation, a line that
starts with a number and a full stop is a reply, never body text.

This module is pure Python (no Django, no database), so it can be tested and fuzzed on its own.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SHARE_RE = re.compile(r"^Share:")
COMMENTS_HEADING = "Comments"
REPLY_FORM = "Leave a Reply"
RESPONSES_RE = re.compile(
    r"^(?P<count>\d[\d,]*|One|No) (?:responses?|thoughts?) (?:to|on) "
    r"[“\"](?P<title>.*)[”\"]$"
)
NO_RESPONSES_RE = re.compile(r"^No responses yet\.?$")
ITEM_RE = re.compile(r"^(?P<number>\d{1,6})\.(?: (?P<text>.*))?$")
AVATAR_SUFFIX = "Avatar"
# A credit names wire services the way they print: letters, digits, spaces and a little punctuation.
CREDIT_PART_RE = re.compile(r"^[^\W_][\w &.'’-]*$")
CREDIT_PART_MAX = 60
MAX_CAPTION_LINES = 2
# Captions whose normalized texts are at least this similar say the same thing in other words.
NEAR_DUPLICATE_RATIO = 0.7


class ParseError(ValueError):
    """The text is not in the page format; `line` is where reading stopped (1-based)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class ParsedComment:
    """One reader comment with its replies, as the page showed it."""

    path: tuple[int, ...]  # its numbers from the top level down, e.g. (1, 1) for 1.1
    line: int  # where its numbered line is
    author: str | None  # None when the page showed no author (an anonymous comment)
    paragraphs: tuple[str, ...]  # lines within a paragraph are kept, joined by "\n"
    children: tuple[ParsedComment, ...] = ()

    @property
    def number(self) -> int:
        """Its number among its siblings, as printed."""
        return self.path[-1]

    @property
    def depth(self) -> int:
        """0 for a top-level comment, 1 for a reply, and so on."""
        return len(self.path) - 1

    @property
    def body(self) -> str:
        """The comment's text: paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)

    def walk(self) -> Iterator[ParsedComment]:
        """Yield this comment and then its replies, depth first, in page order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ParsedPage:
    """Everything the page format carries, in page order."""

    headline: str
    caption: str
    second_caption: str
    captions_near_duplicate: bool
    caption_similarity: float  # 0..1; 0 when there are fewer than two captions
    paragraphs: tuple[str, ...]
    credit_line: str
    sources: tuple[str, ...]
    responses_count: int | None  # the count the page printed; None when it printed none
    comments: tuple[ParsedComment, ...] = ()
    has_reply_form: bool = False
    warnings: tuple[str, ...] = ()

    def walk_comments(self) -> Iterator[ParsedComment]:
        """Yield every comment, depth first, in page order."""
        for comment in self.comments:
            yield from comment.walk()

    @property
    def comment_count(self) -> int:
        """How many comments were parsed, replies included."""
        return sum(1 for _ in self.walk_comments())


def caption_similarity(first: str, second: str) -> float:
    """Return how alike two captions read (0..1), ignoring case, spacing and quote styles."""

    def normalize(text: str) -> str:
        text = text.translate(str.maketrans("’‘“”\u00a0", "''\"\" "))
        return re.sub(r"\s+", " ", text).strip().casefold()

    return difflib.SequenceMatcher(
        None, normalize(first), normalize(second), autojunk=False
    ).ratio()


def split_credit_line(text: str) -> tuple[str, ...] | None:
    """Split "FOX NEWS/AP/REUTERS" into its sources; None if the text is not a credit line."""
    parts = tuple(part.strip() for part in text.split("/"))
    if not all(CREDIT_PART_RE.match(p) and len(p) <= CREDIT_PART_MAX for p in parts):
        return None
    # A lone name only counts as a credit when it is printed the wire way, in capitals.
    if len(parts) == 1 and parts[0] != parts[0].upper():
        return None
    return parts


def read_page_file(path: str | Path) -> ParsedPage:
    """Read and parse a page file; undecodable bytes raise ParseError naming their line."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(line, "expected UTF-8 text, found undecodable bytes") from None
    return parse_page(text)


def parse_page(text: str) -> ParsedPage:
    """Parse a page in the plain-text page format; raise ParseError at the first deviation."""
    return _Parser(text).parse()


@dataclass
class _CommentDraft:
    path: tuple[int, ...]
    line: int
    author: str | None
    indent: int  # where its number stands
    lines: list[str] = field(default_factory=list)  # body lines; "" marks a paragraph break
    children: list[_CommentDraft] = field(default_factory=list)
    author_line_pending: bool = False  # the next line may repeat the author's name

    def freeze(self) -> ParsedComment:
        paragraphs = tuple(p for p in "\n".join(self.lines).split("\n\n") if p.strip())
        return ParsedComment(
            path=self.path,
            line=self.line,
            author=self.author,
            paragraphs=tuple(p.strip("\n") for p in paragraphs),
            children=tuple(child.freeze() for child in self.children),
        )


def _describe(line: str | None) -> str:
    if line is None:
        return "the end of the file"
    if not line.strip():
        return "a blank line"
    shown = line.strip()
    quoted = f'"{shown[:40]}…"' if len(shown) > 40 else f'"{shown}"'
    indent = len(line) - len(line.lstrip())
    return f"{quoted} at {indent} spaces" if indent else quoted


class _Parser:
    """A single pass over the lines; `self.i` is the index of the next unread line."""

    def __init__(self, text: str) -> None:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.lines = [line.rstrip() for line in text.split("\n")] if text else []
        # A final newline does not start another line.
        if len(self.lines) > 1 and self.lines[-1] == "" and text.endswith("\n"):
            self.lines.pop()
        self.i = 0
        self.warnings: list[str] = []

    # -- reading helpers -------------------------------------------------------------------

    def peek(self) -> str | None:
        return self.lines[self.i] if self.i < len(self.lines) else None

    def lineno(self) -> int:
        return self.i + 1

    def fail(self, expected: str, *, at: int | None = None) -> ParseError:
        index = self.i if at is None else at - 1
        found = self.lines[index] if index < len(self.lines) else None
        return ParseError(index + 1, f"expected {expected}, found {_describe(found)}")

    def skip_blank(self) -> None:
        while (line := self.peek()) is not None and not line.strip():
            self.i += 1

    def check_indent(self, line: str) -> int:
        """Return the line's indentation; only spaces may indent."""
        leading = line[: len(line) - len(line.lstrip())]
        if odd := sorted(set(leading) - {" "}):
            raise ParseError(self.lineno(), f"expected spaces for indentation, found {odd[0]!r}")
        return len(leading)

    # -- the page, top to bottom ----------------------------------------------------------

    def parse(self) -> ParsedPage:
        headline = self.parse_headline()
        captions = self.parse_captions()
        paragraphs, credit_at = self.parse_article()
        credit_line = self.lines[credit_at - 1].strip()
        sources = split_credit_line(credit_line)
        if sources is None:
            raise self.fail(
                "the credit line (wire sources joined by '/', e.g. \"AP/REUTERS\") "
                "as the article's last line",
                at=credit_at,
            )
        if len(set(sources)) != len(sources):
            raise ParseError(
                credit_at, f'expected each source once in the credit line "{credit_line}"'
            )
        if not paragraphs:
            raise self.fail("body paragraphs before the credit line", at=credit_at)
        self.skip_share()
        count, comments, has_form = self.parse_discussion()
        similarity = caption_similarity(*captions) if len(captions) == 2 else 0.0
        parsed = ParsedPage(
            headline=headline,
            caption=captions[0] if captions else "",
            second_caption=captions[1] if len(captions) > 1 else "",
            captions_near_duplicate=similarity >= NEAR_DUPLICATE_RATIO,
            caption_similarity=round(similarity, 3),
            paragraphs=tuple(paragraphs),
            credit_line="/".join(sources),
            sources=sources,
            responses_count=count,
            comments=comments,
            has_reply_form=has_form,
        )
        if count is not None and count != parsed.comment_count:
            self.warnings.append(
                f"the page says {count} responses but {parsed.comment_count} comments were found"
            )
        return dataclasses.replace(parsed, warnings=tuple(self.warnings))

    def parse_headline(self) -> str:
        line = self.peek()
        if line is None or not line.strip() or line[0].isspace() or SHARE_RE.match(line):
            raise self.fail("the headline on the first line, not indented")
        self.i += 1
        return line.strip()

    def parse_captions(self) -> list[str]:
        self.skip_blank()
        line = self.peek()
        if line is None or not SHARE_RE.match(line):
            raise self.fail('the share row "Share:" under the headline')
        self.i += 1
        captions: list[str] = []
        while (line := self.peek()) is not None and line.strip():
            if len(captions) == MAX_CAPTION_LINES:
                raise self.fail("a blank line after at most two caption lines")
            if line[0].isspace():
                raise self.fail("a caption line, not indented")
            captions.append(line.strip())
            self.i += 1
        return captions

    def article_ends_here(self, line: str) -> bool:
        return bool(
            SHARE_RE.match(line)
            or line == COMMENTS_HEADING
            or line == REPLY_FORM
            or RESPONSES_RE.match(line)
            or NO_RESPONSES_RE.match(line)
        )

    def parse_article(self) -> tuple[list[str], int]:
        """Read the body blocks; return the paragraphs and the credit line's number."""
        blocks: list[tuple[int, list[str]]] = []
        while True:
            self.skip_blank()
            line = self.peek()
            if line is None or self.article_ends_here(line):
                break
            start = self.lineno()
            block: list[str] = []
            while (line := self.peek()) is not None and line.strip():
                if self.article_ends_here(line):
                    break
                block.append(line.strip())
                self.i += 1
            blocks.append((start, block))
        if not blocks:
            raise self.fail("the article's body paragraphs and its credit line")
        credit_at, credit_block = blocks.pop()
        if len(credit_block) > 1:
            raise self.fail("the credit line alone in the article's last block", at=credit_at + 1)
        return ["\n".join(block) for _, block in blocks], credit_at

    def skip_share(self) -> None:
        self.skip_blank()
        line = self.peek()
        if line is not None and SHARE_RE.match(line):
            self.i += 1

    def parse_discussion(self) -> tuple[int | None, tuple[ParsedComment, ...], bool]:
        self.skip_blank()
        if self.peek() == COMMENTS_HEADING:
            self.i += 1
            self.skip_blank()
        count: int | None = None
        line = self.peek()
        if line is not None and (match := RESPONSES_RE.match(line)):
            raw = match["count"]
            count = {"One": 1, "No": 0}.get(raw)
            count = int(raw.replace(",", "")) if count is None else count
            self.i += 1
        elif line is not None and NO_RESPONSES_RE.match(line):
            count = 0
            self.i += 1
        self.skip_blank()
        line = self.peek()
        indented = line is not None and line[:1].isspace()
        if indented and count is None:
            raise self.fail('the responses line, e.g. "2 responses to “<headline>”"')
        comments = self.parse_comments() if indented else []
        return count, tuple(c.freeze() for c in comments), self.parse_reply_form()

    def parse_reply_form(self) -> bool:
        self.skip_blank()
        line = self.peek()
        if line is None:
            return False
        if line.strip() != REPLY_FORM or line[0].isspace():
            raise self.fail(f'"{REPLY_FORM}" or the end of the page')
        # What follows is the form's own text (field labels), not content.
        self.i = len(self.lines)
        return True

    def unglue_reply_form(self) -> None:
        """Split a final line that ends in the form's heading with no line break before it."""
        last = max((n for n, line in enumerate(self.lines) if line.strip()), default=None)
        if last is None or last < self.i:
            return
        line = self.lines[last]
        if line.strip() != REPLY_FORM and line.endswith(REPLY_FORM):
            self.lines[last : last + 1] = [line.removesuffix(REPLY_FORM).rstrip(), REPLY_FORM]

    def parse_comments(self) -> list[_CommentDraft]:
        self.unglue_reply_form()
        top: list[_CommentDraft] = []
        open_: list[_CommentDraft] = []  # the chain from a top-level comment to the latest one
        unit: int | None = None
        while True:
            line = self.peek()
            if line is None:
                break
            if not line.strip():
                if open_:
                    open_[-1].lines.append("")
                    open_[-1].author_line_pending = False
                self.i += 1
                continue
            if not line[0].isspace():
                break  # the end of the discussion: the reply form, or an error reported there
            indent = self.check_indent(line)
            text = line.strip()
            item = ITEM_RE.match(text)
            if unit is None:
                if not item:
                    raise self.fail('the first comment, numbered "1.", indented')
                unit = indent
            if item:
                level = indent // unit - 1
                if indent % unit or not 0 <= level <= len(open_):
                    raise self.fail(self.expected_item(open_, unit))
                del open_[level:]
                siblings = open_[-1].children if open_ else top
                number = int(item["number"])
                if number != len(siblings) + 1:
                    raise self.fail(f"comment number {len(siblings) + 1} at this level")
                draft = self.start_comment(
                    item["text"] or "", path=(*(open_[-1].path if open_ else ()), number)
                )
                draft.indent = indent
                siblings.append(draft)
                open_.append(draft)
            else:
                current = open_[-1]
                body_indent = current.indent + unit
                if indent < body_indent:
                    raise self.fail(
                        f"comment text indented {body_indent} spaces, or "
                        + self.expected_item(open_, unit)
                    )
                if current.children:
                    raise self.fail(self.expected_item(open_, unit))
                if current.author_line_pending and text == current.author:
                    current.author_line_pending = False  # the page's repeat of the name
                else:
                    current.author_line_pending = False
                    current.lines.append(line[body_indent:])
            self.i += 1
        if not top:
            raise self.fail('the first comment, numbered "1.", indented')
        for draft in self.walk_drafts(top):
            if not any(part.strip() for part in draft.lines):
                raise ParseError(draft.line, "expected the comment's text under its author line")
        return top

    def expected_item(self, open_: list[_CommentDraft], unit: int) -> str:
        """Describe where the next numbered comment may stand, given the open chain."""
        options = []
        for level in range(len(open_), -1, -1):
            siblings = open_[level - 1].children if level else None
            count = len(siblings) if siblings is not None else self.top_count(open_)
            options.append(f"{count + 1}. at {unit * (level + 1)} spaces")
        return "a comment numbered " + " or ".join(options)

    @staticmethod
    def top_count(open_: list[_CommentDraft]) -> int:
        return open_[0].path[0] if open_ else 0

    def start_comment(self, text: str, *, path: tuple[int, ...]) -> _CommentDraft:
        author: str | None = None
        lines: list[str] = []
        if text == AVATAR_SUFFIX:
            author = ""
        elif text.endswith(" " + AVATAR_SUFFIX):
            author = text.removesuffix(AVATAR_SUFFIX).strip()
        elif text:
            lines.append(text)  # no avatar: an anonymous comment whose first line is its body
        return _CommentDraft(
            path=path,
            line=self.lineno(),
            author=author or None,
            indent=0,
            lines=lines,
            author_line_pending=bool(author),
        )

    @staticmethod
    def walk_drafts(drafts: list[_CommentDraft]) -> Iterator[_CommentDraft]:
        for draft in drafts:
            yield draft
            yield from _Parser.walk_drafts(draft.children)
