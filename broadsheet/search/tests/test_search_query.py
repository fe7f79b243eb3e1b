"""What readers type becomes quoted terms: web-search syntax works, FTS5 syntax cannot happen."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.search.query import (
    MAX_PHRASE_WORDS,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    Term,
    query_clean,
    query_parse,
)
from broadsheet.search.text import html_text, index_text, marked_html


def terms(*words: str) -> tuple[Term, ...]:
    return tuple(Term(tuple(w.split())) for w in words)


def test_words_are_all_required_and_quoted():
    parsed = query_parse("Soleimani Syria")

    assert parsed.groups == (terms("soleimani"), terms("syria"))
    assert parsed.fts5() == '("soleimani") AND ("syria")'


def test_quoted_words_stay_together_and_a_missing_closing_quote_closes_at_the_end():
    assert query_parse('"quds force" iran').groups == (terms("quds force"), terms("iran"))
    assert query_parse('iran "quds force').groups == (terms("iran"), terms("quds force"))


def test_minus_and_not_leave_words_out():
    parsed = query_parse('harbour -ferry NOT "night bus"')

    assert parsed.groups == (terms("harbour"),)
    assert parsed.excluded == terms("ferry", "night bus")
    assert parsed.fts5() == '(("harbour")) NOT ("ferry" OR "night bus")'


def test_or_accepts_either_of_its_neighbours_and_binds_tighter_than_the_implicit_and():
    parsed = query_parse("iran soleimani OR suleimani")

    assert parsed.groups == (terms("iran"), terms("soleimani", "suleimani"))
    assert parsed.fts5() == '("iran") AND ("soleimani" OR "suleimani")'


def test_operators_of_fts5_are_plain_words_or_separators():
    parsed = query_parse("headline:iran NEAR(a b) harb* ^start (x) AND")

    assert parsed.groups == (
        terms("headline iran"),
        terms("near a"),
        terms("b"),
        terms("harb"),
        terms("start"),
        terms("x"),
    )


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "!!!", "-", "- -", '"', '""', "AND OR NOT", "* ^ : ( )", "-harbour", "NOT x"],
)
def test_nothing_to_look_for_is_an_empty_query(typed):
    assert query_parse(typed).is_empty


def test_control_characters_and_nul_become_spaces():
    assert query_clean("har\x00bour\tferry\r\n") == "har bour ferry"
    assert query_parse("a\x00b").groups == (terms("a"), terms("b"))


def test_long_input_is_cut_to_the_limits_and_says_so():
    parsed = query_parse("x" * 5000)
    assert len(parsed.text) == MAX_QUERY_CHARS
    assert parsed.shortened is True

    many = query_parse(" ".join(f"word{i}" for i in range(40)))
    assert len(many.groups) == MAX_TERMS
    assert many.shortened is True

    phrase = query_parse('"' + " ".join(f"w{i}" for i in range(30)) + '"')
    assert len(phrase.groups[0][0].words) == MAX_PHRASE_WORDS

    assert query_parse("harbour ferry").shortened is False


def test_repeated_terms_count_once():
    assert query_parse("ferry Ferry FERRY").groups == (terms("ferry"),)


def test_marked_html_escapes_everything_but_balanced_marks():
    text = "<b>\ue000Iran\ue001</b> & \ue000\ue000Iraq \ue001\ue001 \ue000open"

    html = marked_html(text)

    assert html == (
        "&lt;b&gt;<mark>Iran</mark>&lt;/b&gt; &amp; <mark>Iraq </mark> <mark>open</mark>"
    )


def test_index_text_drops_control_characters_and_the_markers():
    assert index_text("a\x00b\ue000c\ue001  d\n") == "a b c d"
    assert index_text("abcdef", limit=3) == "abc"


def test_html_text_keeps_paragraphs_apart():
    assert html_text("<p>One end.</p><p>Next &amp; last</p>").split() == [
        "One",
        "end.",
        "Next",
        "&",
        "last",
    ]


def _fts5() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE t USING fts5(headline, dek, body, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    db.execute("INSERT INTO t VALUES ('Iran harbour', 'The dek', 'A body of text')")
    return db


FTS5 = _fts5()
SYNTAX = st.sampled_from(
    ['"', "-", "*", "^", ":", "(", ")", "AND", "OR", "NOT", "NEAR", "+", ",", "{", "}", "\x00"]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(SYNTAX, st.text(max_size=12)), max_size=20).map(" ".join))
def test_no_input_is_an_fts5_syntax_error(typed):
    parsed = query_parse(typed)

    if not parsed.is_empty:
        FTS5.execute("SELECT rowid FROM t WHERE t MATCH ?", (parsed.fts5(),)).fetchall()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_marked_html_never_lets_a_tag_through(text):
    html = marked_html(text)

    stripped = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped
    assert html.count("<mark>") == html.count("</mark>")
