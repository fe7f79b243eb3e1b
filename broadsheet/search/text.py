"""Plain text for the index, and the markers the backends put around matched words."""

from __future__ import annotations

import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

# Private-use characters: the databases wrap matches in these, and only these become <mark>,
# after everything else was escaped. Indexed text never contains them (index_text drops them).
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
# A body longer than this is indexed by its start: PostgreSQL refuses a tsvector over 1 MB,
# and no reader searches for the hundred-thousandth word of a story.
BODY_MAX_CHARS = 100_000

_BLOCK_END = re.compile(
    r"</(?:p|h[1-6]|li|blockquote|pre|div|tr|td|th|figcaption)>|<br\s*/?>", re.I
)
_UNSAFE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f{MARK_OPEN}{MARK_CLOSE}]")
_SPACE = re.compile(r"\s+")


def index_text(value: str, *, limit: int | None = None) -> str:
    """Return `value` as one line of plain text, without control characters or markers."""
    text = _SPACE.sub(" ", _UNSAFE.sub(" ", value)).strip()
    return text[:limit] if limit else text


def html_text(fragment: str) -> str:
    """Return the words of a sanitized HTML fragment (an article's body_html) as plain text."""
    # Block ends become spaces so "…end.</p><p>Next…" does not index as "end.Next".
    return html.unescape(strip_tags(_BLOCK_END.sub(" ", fragment)))


def marked_html(text: str) -> SafeString:
    """Escape `text` and turn the backends' markers into balanced <mark> elements."""
    out: list[str] = []
    is_open = False
    for piece in re.split(f"([{MARK_OPEN}{MARK_CLOSE}])", text):
        if piece == MARK_OPEN:
            if not is_open:
                out.append("<mark>")
                is_open = True
        elif piece == MARK_CLOSE:
            if is_open:
                out.append("</mark>")
                is_open = False
        elif piece:
            out.append(escape(piece))
    if is_open:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every piece was escaped; only our <mark> is not


def has_mark(text: str) -> bool:
    """Whether the backend marked a match in `text`."""
    return MARK_OPEN in text
