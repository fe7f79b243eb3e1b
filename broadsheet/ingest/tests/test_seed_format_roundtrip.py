"""Any page written in the format parses back to what was written: the parser follows the format,
not the one seed file."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.ingest.seed_format import parse_page


@dataclass
class Node:
    author: str | None
    paragraphs: list[str]
    repeats_name: bool
    children: list[Node]


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1)
# Lines start with a word (never a number, so never mistaken for a numbered reply).
line = (
    st.lists(
        st.one_of(words, st.sampled_from(["1998.", "‘quoted’", "(so)", "—", "3.", "e.g.", "a/b"])),
        min_size=1,
        max_size=8,
    )
    .map(lambda ws: " ".join(ws))
    .filter(lambda s: s[0].isalpha())
)
paragraph = st.lists(line, min_size=1, max_size=3).map("\n".join)
author = st.one_of(
    st.none(), st.lists(st.text(alphabet="abcxyz_0123456789", min_size=1), min_size=1, max_size=2)
).map(lambda parts: None if parts is None else " ".join(parts))


@st.composite
def nodes(draw, depth: int = 0) -> Node:
    name = draw(author)
    children = draw(st.lists(nodes(depth + 1), max_size=2 if depth < 3 else 0))
    return Node(
        author=name,
        paragraphs=draw(st.lists(paragraph, min_size=1, max_size=3)),
        repeats_name=bool(name) and draw(st.booleans()),
        children=children,
    )


def render_comment(node: Node, number: int, depth: int, unit: int) -> list[str]:
    indent = " " * unit * (depth + 1)
    body = indent + " " * unit
    out = []
    paragraphs = [p.split("\n") for p in node.paragraphs]
    if node.author:
        out.append(f"{indent}{number}. {node.author} Avatar")
        if node.repeats_name:
            out.append(body + node.author)
        out.append("")
    else:
        first = paragraphs[0]
        out.append(f"{indent}{number}. {first[0]}")
        out.extend(body + ln for ln in first[1:])
        out.append("")
        paragraphs = paragraphs[1:]
    for lines in paragraphs:
        out.extend(body + ln for ln in lines)
        out.append("")
    for n, child in enumerate(node.children, 1):
        out.extend(render_comment(child, n, depth + 1, unit))
    return out


def count(nodes_: list[Node]) -> int:
    return sum(1 + count(n.children) for n in nodes_)


def shape(nodes_: list[Node], prefix=()) -> list:
    rows = []
    for n, node in enumerate(nodes_, 1):
        rows.append(((*prefix, n), node.author, tuple(node.paragraphs)))
        rows.extend(shape(node.children, (*prefix, n)))
    return rows


@settings(max_examples=150, deadline=None)
@given(
    headline=line,
    captions=st.lists(line, max_size=2),
    body=st.lists(paragraph, min_size=1, max_size=5),
    sources=st.lists(
        st.sampled_from(["AP", "REUTERS", "AFP", "FOX NEWS", "DPA"]),
        min_size=1,
        max_size=3,
        unique=True,
    ),
    tree=st.lists(nodes(), max_size=12),
    unit=st.sampled_from([2, 3, 4]),
    glued=st.booleans(),
)
def test_a_page_in_the_format_parses_back_to_what_was_written(
    headline, captions, body, sources, tree, unit, glued
):
    lines = [headline, "", "Share:", *captions, ""]
    for p in body:
        lines += [*p.split("\n"), ""]
    lines += ["/".join(sources), "", "Share:", "", "Comments", ""]
    total = count(tree)
    if tree:
        lines += [f"{total} responses to “{headline}”", ""]
        for n, node in enumerate(tree, 1):
            lines += render_comment(node, n, 0, unit)
    if glued and tree:
        while lines[-1] == "":
            lines.pop()
        lines[-1] += "Leave a Reply"
    else:
        lines.append("Leave a Reply")

    page = parse_page("\n".join(lines))

    assert page.headline == headline
    assert (page.caption, page.second_caption) == (
        (captions + ["", ""])[0],
        (captions + ["", ""])[1],
    )
    assert page.paragraphs == tuple(body)
    assert page.sources == tuple(sources)
    assert page.responses_count == (total if tree else None)
    got = [(c.path, c.author, c.paragraphs) for c in page.walk_comments()]
    assert got == shape(tree)
    assert page.has_reply_form
    assert page.warnings == ()
