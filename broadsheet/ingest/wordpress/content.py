"""A WordPress post's content as WordPress shows it (wpautop, shortcodes), then as Markdown.

Broadsheet stores an article body as Markdown and renders it through core.text, the one
sanitizer (markdown-it with raw HTML off, then nh3's allow-list). Imported HTML is therefore
never stored as HTML: it is read into a tree and written back as Markdown, so the sanitizer
sees it like any editor's text, and editors can change it afterwards. What Markdown cannot say
(classes, styles, scripts, iframes) is dropped; text inside unknown elements is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|"
    "area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|"
    "hgroup|header|footer|nav|figure|figcaption|details|menu|summary"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{BLOCKS})[\s/>])", re.I)
_BLOCK_CLOSE = re.compile(rf"(</(?:{BLOCKS})>)", re.I)
_BLOCK_TAG = rf"</?(?:{BLOCKS})[^>]*>"


def wpautop(text: str) -> str:
    """Turn blank lines into paragraphs and single newlines into <br>, as WordPress does."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    kept: dict[str, str] = {}

    def keep(match: re.Match[str]) -> str:
        key = f"<pre wp-pre-tag-{len(kept)}></pre>"
        kept[key] = match.group(0)
        return key

    # Preformatted text keeps its own line breaks; a captioned figure is one block as it is.
    text = re.sub(r"<pre[\s>].*?</pre>", keep, text, flags=re.S | re.I)
    text = re.sub(r"<figure[\s>].*?</figure>", keep, text, flags=re.S | re.I)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.I)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    parts = [part.strip() for part in re.split(r"\n\s*\n", text)]
    text = "".join(f"<p>{part}</p>\n" for part in parts if part)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(rf"<p>\s*({_BLOCK_TAG})\s*</p>", r"\1", text, flags=re.I)
    text = re.sub(rf"<p>\s*({_BLOCK_TAG})", r"\1", text, flags=re.I)
    text = re.sub(rf"({_BLOCK_TAG})\s*</p>", r"\1", text, flags=re.I)
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = re.sub(rf"({_BLOCK_TAG})\s*<br />", r"\1", text, flags=re.I)
    text = re.sub(
        r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text, flags=re.I
    )
    text = re.sub(r"<br />\n$", "", text)
    for key, value in kept.items():
        text = text.replace(key, value)
    return text.strip()


_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_CAPTION = re.compile(r"\[(caption|wp_caption)([^\]]*)\](.*?)\[/\1\]", re.S | re.I)
_ENCLOSING = re.compile(r"\[([a-z][\w-]*)(\s[^\]]*)?\](.*?)\[/\1\]", re.S | re.I)
# A lone [name attr=...] or a name WordPress itself registers: removed. Other bracketed words
# ([sic], [1]) are the writer's and stay.
_SELF_CLOSING = re.compile(
    r"\[(?:(?:gallery|audio|video|playlist|embed|wp_caption|caption)\b[^\]]*"
    r"|[a-z][\w-]*\s+[\w-]+\s*=[^\]]*)/?\]",
    re.I,
)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_LINKED_IMG = re.compile(r"<a\b[^>]*>\s*<img\b[^>]*>\s*</a>", re.I)


def shortcode_attrs(text: str) -> dict[str, str]:
    """Return a shortcode's attributes (name="value", name='value', name=value)."""
    return {
        m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
        for m in _ATTR.finditer(text)
    }


@dataclass
class Shortcodes:
    """How many shortcodes a text had: captions made figures, others removed by name."""

    captions: int = 0
    removed: dict[str, int] = field(default_factory=dict)


def shortcodes_apply(text: str, counts: Shortcodes) -> str:
    """Make [caption] a <figure> with its <figcaption>; drop other shortcodes, keep their text."""

    def caption(match: re.Match[str]) -> str:
        inner = match.group(3)
        found = _LINKED_IMG.search(inner) or _IMG.search(inner)
        if found is None:
            return inner
        counts.captions += 1
        image = _IMG.search(found.group(0))
        words = (inner[: found.start()] + inner[found.end() :]).strip()
        words = words or shortcode_attrs(match.group(2)).get("caption", "")
        return (
            f"\n\n<figure>{image.group(0) if image else ''}"
            f"<figcaption>{words}</figcaption></figure>\n\n"
        )

    def enclosing(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        counts.removed[name] = counts.removed.get(name, 0) + 1
        return match.group(3)

    def lone(match: re.Match[str]) -> str:
        name = re.match(r"\[([\w-]+)", match.group(0))
        key = name.group(1).lower() if name else "?"
        counts.removed[key] = counts.removed.get(key, 0) + 1
        return ""

    text = _CAPTION.sub(caption, text)
    previous = None
    while previous != text:  # nested enclosing shortcodes, outermost first
        previous = text
        text = _ENCLOSING.sub(enclosing, text)
    return _SELF_CLOSING.sub(lone, text)


def post_html(content: str, counts: Shortcodes) -> str:
    """Return a post's content as WordPress renders it: blocks as they are, classic via wpautop."""
    content = shortcodes_apply(content or "", counts)
    if "<!-- wp:" in content:
        # The block editor stores finished HTML; WordPress does not run wpautop on it.
        return re.sub(r"<!--.*?-->", "", content, flags=re.S).strip()
    return wpautop(content)


# HTML to Markdown --------------------------------------------------------------------------

_DROP = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "form"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "col", "area"}
_ESCAPE = re.compile(r"([\\`*_\[\]<>&|~])")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _TreeParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.dropping += 1
            return
        if self.dropping:
            return
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP or self.dropping:
            return
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag in _VOID:
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.stack[-1].children.append(data)


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _url(value: str) -> str:
    return value.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _inline(node: _Node | str) -> str:
    if isinstance(node, str):
        return _escape(re.sub(r"\s+", " ", node))
    tag, inner = node.tag, "".join(_inline(child) for child in node.children)
    if tag == "br":
        return "\\\n"
    if tag in ("em", "i", "cite"):
        return f"*{inner.strip()}*" if inner.strip() else inner
    if tag in ("strong", "b"):
        return f"**{inner.strip()}**" if inner.strip() else inner
    if tag == "code":
        text = "".join(_text(child) for child in node.children)
        return f"`{text}`" if "`" not in text else f"`` {text} ``"
    if tag == "a":
        href = node.attrs.get("href", "").strip()
        if not href or not re.match(r"(?i)(https?:|mailto:|/|#)", href):
            return inner
        return f"[{inner.strip()}]({_url(href)})"
    if tag == "img":
        src = node.attrs.get("src", "").strip()
        if not re.match(r"(?i)https?:|/", src):
            return ""
        return f"![{_escape(node.attrs.get('alt', ''))}]({_url(src)})"
    return inner


def _text(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.children)


def _blocks(node: _Node, out: list[str], prefix: str = "") -> None:
    """Append the node's children as Markdown blocks; inline runs become paragraphs."""
    run: list[_Node | str] = []

    def flush() -> None:
        text = "".join(_inline(child) for child in run).strip()
        text = re.sub(r"[ \t]*\\\n[ \t]*", "\\\n", text)
        text = re.sub(r"(\\\n)+", "\\\n", text).strip("\\\n ")
        if text:
            # A line that would read as Markdown structure (a heading, a list) is escaped.
            text = re.sub(r"(?m)^(\s*)([#+\-=]|\d+[.)])", r"\1\\\2", text)
            out.append(text)
        run.clear()

    for child in node.children:
        if isinstance(child, str) or child.tag not in _BLOCK_TAGS:
            run.append(child)
            continue
        flush()
        _block(child, out)
    flush()


_BLOCK_TAGS = set(BLOCKS.replace("h[1-6]", "h1|h2|h3|h4|h5|h6").split("|"))


def _block(node: _Node, out: list[str]) -> None:
    tag = node.tag
    if re.fullmatch(r"h[1-6]", tag):
        # The headline is the page's only h1: the body's headings start at h2.
        level = max(2, int(tag[1]))
        text = " ".join("".join(_inline(c) for c in node.children).split())
        if text:
            out.append("#" * level + " " + text)
    elif tag == "hr":
        out.append("---")
    elif tag == "pre":
        text = _text(node).strip("\n")
        fence = "~~~~" if "```" in text else "```"
        out.append(f"{fence}\n{text}\n{fence}")
    elif tag == "blockquote":
        inner: list[str] = []
        _blocks(node, inner)
        out.append("\n>\n".join("\n".join("> " + line for line in b.split("\n")) for b in inner))
    elif tag in ("ul", "ol"):
        items = [c for c in node.children if isinstance(c, _Node) and c.tag == "li"]
        lines = []
        for number, item in enumerate(items, 1):
            inner = []
            _blocks(item, inner)
            marker = f"{number}. " if tag == "ol" else "- "
            body = "\n\n".join(inner).replace("\n", "\n" + " " * len(marker))
            lines.append(marker + body)
        if lines:
            out.append("\n".join(lines))
    elif tag == "figure":
        images = [c for c in _walk(node) if c.tag == "img"]
        captions = [c for c in _walk(node) if c.tag == "figcaption"]
        caption = ""
        if captions:
            caption = " ".join("".join(_inline(c) for c in captions[0].children).split())
        image = _inline(images[0]) if images else ""
        if image and caption:
            # An image with an emphasized line under it, one paragraph: rendered as a figure.
            out.append(f"{image}\n*{caption}*")
        elif image or caption:
            out.append(image or f"*{caption}*")
    elif tag == "table":
        rows = [r for r in _walk(node) if r.tag == "tr"]
        table = []
        for index, row in enumerate(rows):
            cells = [c for c in row.children if isinstance(c, _Node) and c.tag in ("td", "th")]
            texts = [" ".join("".join(_inline(x) for x in c.children).split()) for c in cells]
            table.append("| " + " | ".join(texts) + " |")
            if index == 0:
                table.append("|" + "---|" * max(1, len(cells)))
        if table:
            out.append("\n".join(table))
    else:
        _blocks(node, out)


def _walk(node: _Node):
    for child in node.children:
        if isinstance(child, _Node):
            yield child
            yield from _walk(child)


def html_to_markdown(html: str) -> str:
    """Write sanitizer-bound Markdown for a piece of HTML (what Markdown cannot say is dropped)."""
    parser = _TreeParser()
    parser.feed(html or "")
    parser.close()
    out: list[str] = []
    _blocks(parser.root, out)
    return "\n\n".join(out).strip() + ("\n" if out else "")


def html_to_text(html: str) -> str:
    """The words of a piece of HTML, as plain text on one line."""
    parser = _TreeParser()
    parser.feed(html or "")
    parser.close()
    return " ".join(_text(parser.root).split())
