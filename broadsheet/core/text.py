"""Markdown rendering and allow-list sanitizing: the one road from user text to HTML."""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ARTICLE_TAGS = {
    "p", "br", "hr", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "h5", "h6", "img", "figure", "figcaption", "table", "thead", "tbody",
    "tr", "th", "td", "del", "sup", "sub",
}  # fmt: skip
COMMENT_TAGS = {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"}


def _figures(state) -> None:
    """Make a paragraph of one image with an emphasized line under it a captioned figure.

    The Markdown for a photo and its caption ("![alt](src)" then "*caption*" on the next
    line) becomes <figure><img><figcaption>; anything else stays a paragraph.
    """
    tokens = state.tokens
    for i in range(len(tokens) - 2):
        opening, inline, closing = tokens[i : i + 3]
        if (opening.type, inline.type, closing.type) != (
            "paragraph_open",
            "inline",
            "paragraph_close",
        ):
            continue
        kids = inline.children or []
        kinds = [kid.type for kid in kids]
        if (
            len(kinds) >= 4
            and kinds[:3] == ["image", "softbreak", "em_open"]
            and kinds[-1] == "em_close"
            and "em_open" not in kinds[3:-1]
        ):
            opening.tag = closing.tag = "figure"
            kids[2].tag = kids[-1].tag = "figcaption"
            del kids[1]


@lru_cache(maxsize=1)
def _article_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    parser.core.ruler.push("figures", _figures)
    return parser


@lru_cache(maxsize=1)
def _comment_parser() -> MarkdownIt:
    # Comments get a limited dialect: no headings, images, rules or tables.
    return MarkdownIt("commonmark", {"html": False}).disable(
        ["heading", "lheading", "image", "hr", "html_block", "html_inline"]
    )


def render_article_markdown(source: str) -> str:
    """Render an article body from Markdown to sanitized HTML."""
    html = _article_parser().render(source or "")
    return nh3.clean(
        html,
        tags=ARTICLE_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}, "*": {"id"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )


def render_comment_markdown(source: str) -> str:
    """Render a reader's comment from limited Markdown to sanitized HTML."""
    html = _comment_parser().render(source or "")
    return nh3.clean(
        html,
        tags=COMMENT_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
