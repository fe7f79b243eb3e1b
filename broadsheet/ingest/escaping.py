"""Turn plain text into Markdown that renders as exactly that text."""

from __future__ import annotations

import re

# Characters that start inline constructs anywhere in a line (CommonMark + the table extension).
INLINE_RE = re.compile(r"([\\`*_\[\]<|])")
# "&name;" and "&#123;" would render as the character they name.
ENTITY_RE = re.compile(r"&(?=#?\w+;)")
# Line starts that make blocks: headings, quotes, lists, rules, setext underlines, fences.
BLOCK_START_RE = re.compile(r"^([#>+\-=~])")
ORDERED_START_RE = re.compile(r"^(\d{1,9})([.)])")


def markdown_escape_line(line: str) -> str:
    """Escape one line of plain text so Markdown shows it as written."""
    line = line.strip()
    line = INLINE_RE.sub(r"\\\1", line)
    line = ENTITY_RE.sub(r"\\&", line)
    line = BLOCK_START_RE.sub(r"\\\1", line)
    return ORDERED_START_RE.sub(r"\1\\\2", line)


def markdown_paragraphs(
    paragraphs: tuple[str, ...] | list[str], *, hard_breaks: bool = False
) -> str:
    """Join plain-text paragraphs into a Markdown body, one paragraph per block."""
    # A trailing backslash is CommonMark's visible hard break: the line break stays a line break.
    joiner = "\\\n" if hard_breaks else "\n"
    blocks = []
    for paragraph in paragraphs:
        lines = [markdown_escape_line(line) for line in paragraph.split("\n")]
        if block := joiner.join(line for line in lines if line):
            blocks.append(block)
    return "\n\n".join(blocks)
