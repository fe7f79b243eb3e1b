"""Structural validators for RSS 2.0 and Atom 1.0, written for these tests (lxml, no network)."""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def rss_problems(xml: bytes) -> list[str]:
    """What keeps a document from being valid RSS 2.0 (empty when it is)."""
    root = etree.fromstring(xml)
    problems = []
    if root.tag != "rss" or root.get("version") != "2.0":
        problems.append("root is not <rss version='2.0'>")
    channel = root.find("channel")
    if channel is None:
        return [*problems, "no <channel>"]
    for name in ("title", "link", "description"):
        if channel.find(name) is None:
            problems.append(f"channel has no <{name}>")
    guids = []
    for i, item in enumerate(channel.findall("item")):
        if item.find("title") is None and item.find("description") is None:
            problems.append(f"item {i} has neither title nor description")
        for date in item.findall("pubDate"):
            try:
                parsedate_to_datetime(date.text)
            except (TypeError, ValueError):
                problems.append(f"item {i} pubDate {date.text!r} is not RFC 822")
        for enclosure in item.findall("enclosure"):
            if not (enclosure.get("url") and enclosure.get("length") and enclosure.get("type")):
                problems.append(f"item {i} enclosure lacks url, length or type")
        guids += [g.text for g in item.findall("guid")]
    if len(guids) != len(set(guids)):
        problems.append("duplicate guids")
    return problems


def atom_problems(xml: bytes) -> list[str]:
    """What keeps a document from being valid Atom 1.0 (RFC 4287) (empty when it is)."""
    root = etree.fromstring(xml)
    if root.tag != f"{ATOM}feed":
        return ["root is not an Atom <feed>"]
    problems = []
    for name in ("id", "title", "updated"):
        if len(root.findall(f"{ATOM}{name}")) != 1:
            problems.append(f"feed needs exactly one <{name}>")
    ids = []
    feed_has_author = root.find(f"{ATOM}author") is not None
    for i, entry in enumerate(root.findall(f"{ATOM}entry")):
        for name in ("id", "title", "updated"):
            if len(entry.findall(f"{ATOM}{name}")) != 1:
                problems.append(f"entry {i} needs exactly one <{name}>")
        for name in ("updated", "published"):
            for date in entry.findall(f"{ATOM}{name}"):
                if not RFC3339.match(date.text or ""):
                    problems.append(f"entry {i} <{name}> {date.text!r} is not RFC 3339")
        if not feed_has_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            problems.append(f"entry {i} has no author")
        if (
            entry.find(f"{ATOM}link[@rel='alternate']") is None
            and entry.find(f"{ATOM}content") is None
        ):
            problems.append(f"entry {i} has neither an alternate link nor content")
        ids += [e.text for e in entry.findall(f"{ATOM}id")]
    if len(ids) != len(set(ids)):
        problems.append("duplicate entry ids")
    return problems
