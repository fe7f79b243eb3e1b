"""The normalizer and whole-word matcher behind the word lists."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from broadsheet.moderation.normalize import LEET, WordMatcher, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("IDIOT", "idiot"),
        ("Ídïöt", "idiot"),
        ("idiooooots", "idioots"),
        ("1d10t", "idiot"),
        ("h3ll0 w0rld", "hello world"),
        ("@ss", "ass"),
        ("$tupid", "stupid"),
        ("7r0ll", "troll"),
        ("ca\u200bt", "cat"),
        ("  many \n  spaces ", "many spaces"),
    ],
)
def test_normalize_folds_case_accents_leetspeak_and_stretching(raw, expected):
    assert normalize(raw) == expected


def test_normalize_leaves_plain_numbers_and_prices_alone():
    assert (
        normalize("In 1000 homes, fares rose $5 to 7.50") == "in 1000 homes, fares rose $5 to 7.50"
    )


def test_normalize_keeps_exclamation_after_a_word():
    assert normalize("Idiots!") == "idiots!"


@given(st.text())
def test_normalize_never_crashes_and_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@pytest.fixture
def matcher():
    return WordMatcher(["ass", "idiot", "kill yourself", "moron"])


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("What an idiot.", "idiot"),
        ("you IDIOOOT", "idiot"),
        ("such an 1d1ot", "idiot"),
        ("M0R0N!", "moron"),
        ("Ídiot", "idiot"),
        ("what an @ss", "ass"),
        ("k1ll    yourself", "kill yourself"),
        ("kill\nyourself", "kill yourself"),
    ],
)
def test_matcher_finds_disguised_words(matcher, text, word):
    assert [m.word for m in matcher.find(text)] == [word]


@pytest.mark.parametrize(
    "text",
    [
        "We must assess the damage.",
        "The bass player and the class trip.",
        "An idiotic idea",  # a different word, not on this list
        "Moroni is a city in the Comoros.",
        "as",
        "",
    ],
)
def test_matcher_never_matches_inside_other_words(matcher, text):
    assert matcher.find(text) == []


def test_doubled_letter_in_a_listed_word_needs_both_letters():
    assert WordMatcher(["ass"]).find("as far as I know") == []
    assert [m.word for m in WordMatcher(["ass"]).find("asssss")] == ["ass"]


def test_empty_word_list_matches_nothing():
    assert WordMatcher([]).find("anything at all") == []


@pytest.mark.parametrize("swap", sorted(chr(code) for code in LEET))
def test_every_swap_symbol_inside_a_word_is_undone(swap):
    assert normalize(f"ab{swap}cd") == f"ab{LEET[ord(swap)]}cd"


@given(st.text(), st.text())
def test_a_name_and_a_text_normalize_apart_as_they_do_together(name, text):
    # The word-list rule joins the name's form to the text's (already normalized) form.
    together = normalize(f"{name}\n{text}")
    assert together == " ".join(part for part in (normalize(name), normalize(text)) if part)
