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


@lru_cache(maxsize=1)
def _article_parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


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
