"""The normalizer and whole-word matcher behind the word lists."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from broadsheet.moderation.normalize import LEET, WordMatcher, normalize, normalized


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
        ("  many   spaces ", "many spaces"),
        ("two\n\n lines", "two\nlines"),
        ("i d i o t", "idiot"),
        ("m.o.r.o.n!", "moron"),
        ("i . d . i . o . tttt", "idiot"),
        ("s*c*u*m", "scum"),
        ("ｉｄｉｏｔ", "idiot"),
        ("𝐢𝐝𝐢𝐨𝐭 𝓂𝑜𝓇𝑜𝓃", "idiot moron"),
        ("ᴍᴏʀᴏɴ", "moron"),
        ("p\u0430id tr\u043ell", "paid troll"),  # Cyrillic а and о
        ("\u03b9di\u03bft", "idiot"),  # Greek ι and ο
        ("🅸🅳🅸🅾🆃", "idiot"),
        ("🇮🇩🇮🇴🇹", "idiot"),
        ("m⭕r⭕n", "moron"),
        ("id\u2060io\u00adt", "idiot"),
    ],
)
def test_normalize_folds_case_accents_leetspeak_and_stretching(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Путин сказал",  # a Russian sentence stays Russian
        "4 - 4 - 2",  # a formation, not a spaced word
        "J. K. Rowling",
        "a, b, c",  # a list
        "e-mail the co-op",
        "f*ck",  # an asterisk masking a letter stays one (the word matcher reads it)
    ],
)
def test_normalize_leaves_real_words_in_other_scripts_lists_and_masks_alone(text):
    assert normalize(text) == text.lower()


def test_an_article_before_a_spaced_word_stays_a_word():
    assert normalize("you are a m o r o n") == "you are a moron"


def test_normalized_tokens_point_back_at_the_original_text():
    text = "Such an 1d10t, a real m o r o n."
    tokens = normalized(text)
    assert [t.text for t in tokens] == ["such", "an", "idiot,", "a", "real", "moron"]
    assert [text[t.start : t.end] for t in tokens][2] == "1d10t"
    assert text[tokens[-1].start : tokens[-1].end] == "m o r o n"


def test_normalize_leaves_plain_numbers_and_prices_alone():
    assert (
        normalize("In 1000 homes, fares rose $5 to 7.50") == "in 1000 homes, fares rose $5 to 7.50"
    )


def test_a_word_of_swap_symbols_and_a_mask_is_read_but_arithmetic_is_not():
    assert normalize("what a !*107") == "what a i*iot"
    assert normalize("10*5 is 50, 2*3=6") == "10*5 is 50, 2*3=6"


def test_normalize_keeps_exclamation_after_a_word():
    assert normalize("Idiots!") == "idiots!"


@given(st.text())
def test_normalize_never_crashes_and_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@pytest.fixture
def matcher():
    return WordMatcher(["ass", "bitch", "fuck", "idiot", "kill yourself", "moron"])


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
        ("f*ck", "fuck"),
        ("b**ch", "bitch"),
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
    assert together == "\n".join(part for part in (normalize(name), normalize(text)) if part)
