"""Reading agencies' feeds: RSS 2.0, Atom 1.0, JSON Feed 1.1, ninjs 1.x and 2.x; bad input."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from broadsheet.ingest.tests.wire_server import DATA
from broadsheet.ingest.wire.parsing import FeedError, parse_feed


def _one(name: str, fmt: str = "auto"):
    items = parse_feed((DATA / name).read_bytes(), fmt=fmt)
    assert len(items) == 1
    return items[0]


def test_rss_item_with_figure_caption():
    item = _one("agency_a.rss", "rss")
    assert item.guid == "agency-a:2026:northport-crane"
    assert item.headline.startswith("Crane collapses at Northport")
    assert item.link == "https://agency-a.example/news/northport-crane"
    assert len(item.paragraphs) == 4
    assert item.captions == (
        "Emergency crews work beside the collapsed crane at the Northport container terminal"
        " on Tuesday.",
    )
    assert item.published_at == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_atom_entry():
    item = _one("agency_c.atom", "atom")
    assert item.guid == "urn:agency-c:2026:eastfield-cycle-lanes"
    assert item.lead.startswith("Eastfield's council voted")
    assert item.paragraphs[-1] == "Work is due to begin in the spring and take about eight months."
    assert item.updated_at == datetime(2026, 12, 1, 8, tzinfo=UTC)


def test_json_feed_item():
    item = _one("agency_d_v1.json", "jsonfeed")
    assert item.guid == "agency-d-7781"
    assert item.paragraphs == (
        "The Hillside reservoir fell to 21 percent of capacity on Monday, its lowest level since"
        " records began, the water company said.",
        "A hosepipe ban remains in force across the district.",
    )
    assert item.updated_at == datetime(2026, 11, 30, 7, tzinfo=UTC)


def test_ninjs_2_item_with_bodies_descriptions_and_associations():
    item = _one("agency_b.ninjs.json", "ninjs")
    assert item.guid == "urn:agency-b:2026:northport-crane-collapse"
    assert item.headline == "Four dock workers hurt as crane falls at Northport terminal"
    assert item.lead.startswith("Four workers were injured")
    assert len(item.paragraphs) == 3
    assert item.captions[0].startswith("Emergency crews work next to the collapsed crane")
    assert item.link == "https://agency-b.example/stories/northport-crane"
    assert item.embargo_until == datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_ninjs_1_item_with_version_and_embargo():
    item = _one("agency_e.ninjs1.json")
    assert item.version == 3
    assert item.headline == "Lighthouse keepers' cottages to become museum"
    assert item.paragraphs[1] == "The trust bought the cottages in 2024."
    assert item.captions == ("The Greyhaven lighthouse and its cottages at dusk.",)
    assert item.embargo_until == datetime(2026, 12, 2, 9, tzinfo=UTC)
    assert item.published_at == datetime(2026, 12, 2, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        (b"", "auto", "the answer is empty"),
        (b"<html><p>Hello</p></html>", "auto", "not an RSS or Atom feed"),
        (b"{not json", "ninjs", "not JSON"),
        (b'{"items": [{"title": "x"}]}', "jsonfeed", "item 1: the item has no id"),
        (b'[{"headline": "no uri"}]', "ninjs", "item 1: not a ninjs item (no uri)"),
        (b'{"uri": "u1"}', "ninjs", "item 1: the item has no headline"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            b"<rss><channel><item><title>&b;</title></item></channel></rss>",
            "auto",
            "declares XML entities",
        ),
    ],
    ids=["empty", "html", "bad-json", "jsonfeed-no-id", "ninjs-no-uri", "no-headline", "entities"],
)
def test_bad_feeds_say_what_is_wrong(content, fmt, message):
    with pytest.raises(FeedError, match=re.escape(message)):
        parse_feed(content, fmt=fmt)


def test_atom_read_as_rss_is_refused():
    with pytest.raises(FeedError, match="expected rss"):
        parse_feed((DATA / "agency_c.atom").read_bytes(), fmt="rss")
