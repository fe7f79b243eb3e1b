"""Plain text escaped for Markdown renders back as the same text."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.core.text import render_article_markdown, render_comment_markdown
from broadsheet.ingest.escaping import markdown_paragraphs

PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"))
# Markdown's own characters, over-represented so that every construct gets tried.
MARKDOWN_HEAVY = st.sampled_from(list("#>*_-+=~`[]()<>!&|\\.:;0123456789 ") + ["&amp;", "1."])
paragraph = (
    st.lists(st.one_of(PRINTABLE, MARKDOWN_HEAVY), min_size=1, max_size=60)
    .map(lambda chars: " ".join("".join(chars).split()))
    .filter(bool)
)


def rendered_paragraphs(markdown: str, render=render_article_markdown) -> list[str]:
    fragment = re.sub(r"<br ?/?>\n?", "\n", render(markdown))
    return [
        html.unescape(re.sub(r"<[^>]+>", "", p))
        for p in re.findall(r"<p>(.*?)</p>", fragment, flags=re.S)
    ]


@settings(max_examples=500, deadline=None)
@given(st.lists(paragraph, min_size=1, max_size=4))
def test_escaped_paragraphs_render_as_written(paragraphs):
    assert rendered_paragraphs(markdown_paragraphs(paragraphs)) == paragraphs


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(paragraph, min_size=1, max_size=3).map("\n".join), min_size=1, max_size=3))
def test_comment_lines_keep_their_breaks_in_the_comment_dialect(paragraphs):
    markdown = markdown_paragraphs(paragraphs, hard_breaks=True)
    assert rendered_paragraphs(markdown, render_comment_markdown) == paragraphs


def test_typical_wire_text_stays_readable_in_the_editor():
    source = markdown_paragraphs(["Maj. Gen. Soleimani — the 58-year-old commander (Quds)."])
    assert source == "Maj. Gen. Soleimani — the 58-year-old commander (Quds)."
