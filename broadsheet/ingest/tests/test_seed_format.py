"""The page-format parser, on the real seed page and on broken variants of it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.ingest.seed_format import (
    ParsedPage,
    ParseError,
    parse_page,
    read_page_file,
    split_credit_line,
)

# A small page of our own in the same format, for the malformed-input cases.
SMALL_PAGE = """\
Harbour bridge reopens after storm repairs

Share:
Workers stand on the rebuilt east span on Tuesday.
Workers stand on the rebuilt east span, Tuesday.

The bridge carried traffic again on Wednesday morning.

Engineers said the new cables would last forty years.

HARBOUR DAILY/AP

Share:

Comments

3 responses to “Harbour bridge reopens after storm repairs”

  1. mira Avatar

    About time.

    1. Avatar

      It took them long enough.

  2. ole Avatar

    Good work, crews.

Leave a Reply"""


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def replace_line(text: str, number: int, new: str | None) -> str:
    """Replace (or with None, delete) the 1-based line `number`."""
    lines = lines_of(text)
    assert lines[number - 1] is not None
    if new is None:
        del lines[number - 1]
    else:
        lines[number - 1] = new
    return "\n".join(lines)


def line_number(text: str, startswith: str) -> int:
    return next(n for n, line in enumerate(lines_of(text), 1) if line.startswith(startswith))


@pytest.fixture(scope="module")
def seed(seed_page) -> ParsedPage:
    return read_page_file(seed_page)


@pytest.fixture(scope="module")
def seed_text(seed_page) -> str:
    return seed_page.read_text(encoding="utf-8")


# -- the seed page, every field -------------------------------------------------------------


def test_seed_headline_is_the_first_line(seed):
    assert seed.headline == "Gen. Soleimani seen rallying Iranian officers, Hezbollah in Syria"


def test_seed_keeps_both_caption_wordings_and_flags_them_near_duplicates(seed):
    assert seed.caption == (
        "Maj. Gen. Qassem Soleimani, seen in blue suit, is commander of Iran's Islamic "
        "Revolutionary Guards Corps or Qods Force. Soleimani's presence in Syria is an indicator "
        "of how serious Iran's involvement in the civil war is."
    )
    assert seed.second_caption == (
        "Maj. Gen. Qassem Soleimani, seen in blue suit, is the commander of Iran’s elite Quds "
        "force ( the foreign division of Iran’s Islamic Revolutionary Guards Corps ). "
        "Soleimani’s presence in Syria is an indicator of how serious Iran’s involvement in the "
        "civil war is."
    )
    assert seed.captions_near_duplicate is True
    assert 0.7 <= seed.caption_similarity < 1


def test_seed_body_has_its_paragraphs_in_order(seed):
    # Lines 7 to 27 of the file: eleven paragraphs between the captions and the credit line.
    assert len(seed.paragraphs) == 11
    assert seed.paragraphs[0].startswith("Iran’s shadowy top military commander has been spotted")
    assert seed.paragraphs[0].endswith("according to photos that emerged Thursday on social media.")
    assert seed.paragraphs[1].startswith("Maj. Gen. Qassem Soleimani — commander of Iran’s elite")
    assert "Quds force\u00a0( the foreign division\u00a0of" in seed.paragraphs[1]
    assert seed.paragraphs[-1] == (
        "Iranian and Syrian officials have long acknowledged Iran has advisers and military "
        "experts in Syria, but denied the presence of any ground troops. Wednesday’s statements "
        "by the regional official and activists were the first confirmation of Iranian fighters "
        "taking part in combat operations in Syria."
    )
    assert all(p and "\n" not in p for p in seed.paragraphs)
    assert not any("FOX NEWS" in p or p.startswith("Share:") for p in seed.paragraphs)


def test_seed_credit_line_names_three_wire_services_in_order(seed):
    assert seed.credit_line == "FOX NEWS/AP/REUTERS"
    assert seed.sources == ("FOX NEWS", "AP", "REUTERS")


def test_seed_counts_seven_responses_and_has_the_reply_form(seed):
    assert seed.responses_count == 7
    assert seed.comment_count == 7
    assert seed.has_reply_form is True
    assert seed.warnings == ()


def test_seed_comment_tree_matches_the_readme(seed):
    shape = [(c.path, c.author) for c in seed.walk_comments()]
    assert shape == [
        ((1,), "5thDrawer"),
        ((1, 1), "arzatna1"),
        ((1, 1, 1), "5thDrawer"),
        ((2,), None),
        ((2, 1), "5thDrawer"),
        ((3,), "nagy_michael2"),
        ((4,), "ahorvath"),
    ]
    assert len(seed.comments) == 4
    assert [len(c.children) for c in seed.comments] == [1, 1, 0, 0]
    assert max(c.depth for c in seed.walk_comments()) == 2


def test_seed_comment_bodies_are_the_readers_words(seed):
    first, anonymous, nagy, ahorvath = seed.comments
    reply = first.children[0]
    assert first.body.startswith("Nothing like a good ‘Pep-Talk’ for the troopies …")
    assert first.body.endswith("didn’t always work.")
    assert reply.body == "Yes he is promising them 72 virgins each if they die for Assad"
    assert reply.children[0].body.startswith("Hmmm .. will need to be a good talk")
    assert (
        ahorvath.body == "Just love the way Russia and Iran (and now Cuba) are humiliating Obama."
    )
    assert anonymous.children[0].body == "Time to whip off the bras again … obviously."
    assert nagy.body.startswith("Maybe Suleimani is good for Gorilla warfare")
    assert nagy.body.endswith("so the jackass can stay in power?")


def test_anonymous_comment_keeps_its_first_line_and_its_line_breaks(seed):
    anonymous = seed.comments[1]
    assert anonymous.author is None
    assert len(anonymous.paragraphs) == 2
    assert anonymous.paragraphs[0].startswith("“A recent survey published by the Iraqi Civil")
    second = anonymous.paragraphs[1].split("\n")
    assert second[0].startswith("This is what a Iranian occupation of Iraq means.")
    assert second[1].startswith("PS: under Saddam women had equal rights.")
    assert second[1].endswith("Idiots!")


def test_repeated_author_name_under_the_author_line_is_not_part_of_the_comment(seed):
    nagy = seed.comments[2]
    assert nagy.author == "nagy_michael2"
    assert "nagy_michael2" not in nagy.body
    assert len(nagy.paragraphs) == 1


def test_comments_know_their_line_and_position(seed, seed_text):
    lines = lines_of(seed_text)
    for comment in seed.walk_comments():
        printed = lines[comment.line - 1]
        assert printed.strip().startswith(f"{comment.number}. ")
        assert len(printed) - len(printed.lstrip()) == 2 * (comment.depth + 1)


# -- the format's rules on a page of our own ------------------------------------------------


def test_small_page_parses_with_an_anonymous_avatar_reply():
    page = parse_page(SMALL_PAGE)
    assert page.sources == ("HARBOUR DAILY", "AP")
    assert page.paragraphs == (
        "The bridge carried traffic again on Wednesday morning.",
        "Engineers said the new cables would last forty years.",
    )
    assert [(c.path, c.author, c.body) for c in page.walk_comments()] == [
        ((1,), "mira", "About time."),
        ((1, 1), None, "It took them long enough."),
        ((2,), "ole", "Good work, crews."),
    ]


def test_reply_form_glued_to_the_last_comment_line_is_split_off():
    glued = SMALL_PAGE.replace(
        "Good work, crews.\n\nLeave a Reply", "Good work, crews.Leave a Reply"
    )
    page = parse_page(glued)
    assert page.comments[-1].body == "Good work, crews."
    assert page.has_reply_form is True


def test_windows_line_endings_and_a_final_newline_are_accepted():
    page = parse_page(SMALL_PAGE.replace("\n", "\r\n") + "\r\n")
    assert page.comment_count == 3
    assert page.comments[0].body == "About time."


def test_one_response_and_a_single_caption():
    text = SMALL_PAGE.replace("Workers stand on the rebuilt east span, Tuesday.\n", "")
    text = text.replace("3 responses to", "One response to")
    page = parse_page(text)
    assert page.caption.startswith("Workers stand")
    assert page.second_caption == ""
    assert page.captions_near_duplicate is False
    assert page.responses_count == 1
    assert page.warnings == ("the page says 1 responses but 3 comments were found",)


def test_a_page_without_a_discussion_is_just_the_article():
    text = SMALL_PAGE.split("\n\nShare:\n\nComments")[0]
    page = parse_page(text)
    assert page.credit_line == "HARBOUR DAILY/AP"
    assert page.comments == ()
    assert page.responses_count is None
    assert page.has_reply_form is False


def test_different_captions_are_not_flagged_near_duplicates():
    text = SMALL_PAGE.replace(
        "Workers stand on the rebuilt east span, Tuesday.", "A ferry waits at the quay in 1998."
    )
    page = parse_page(text)
    assert page.second_caption == "A ferry waits at the quay in 1998."
    assert page.captions_near_duplicate is False


@pytest.mark.parametrize(
    ("line", "sources"),
    [
        ("AP", ("AP",)),
        ("FOX NEWS/AP/REUTERS", ("FOX NEWS", "AP", "REUTERS")),
        ("Harbour Daily/Reuters", ("Harbour Daily", "Reuters")),
        ("Reuters", None),  # one capitalised word reads as text, not a wire credit
        ("The end.", None),
        ("AP/", None),
        ("AP, REUTERS", None),
    ],
)
def test_credit_line_split(line, sources):
    assert split_credit_line(line) == sources


# -- malformed input: a ParseError naming the line ------------------------------------------


def assert_parse_error(text: str, line: int, *words: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_page(text)
    error = caught.value
    assert error.line == line, str(error)
    assert str(error).startswith(f"line {line}: expected ")
    for word in words:
        assert word in error.message
    return error


def test_empty_file_is_refused_at_line_one():
    assert_parse_error("", 1, "headline", "end of the file")


def test_blank_first_line_is_refused_at_line_one():
    assert_parse_error("\n" + SMALL_PAGE, 1, "headline")


def test_missing_share_row_is_refused_where_it_should_be():
    assert_parse_error(replace_line(SMALL_PAGE, 3, None), 3, "Share:")


def test_three_caption_lines_are_refused_at_the_third():
    text = replace_line(SMALL_PAGE, 5, "Workers stand on the span.\nA third wording.")
    assert_parse_error(text, 6, "at most two caption lines")


def test_missing_credit_line_is_refused_at_the_articles_last_paragraph(seed_text):
    credit_at = line_number(seed_text, "FOX NEWS/AP/REUTERS")
    text = replace_line(seed_text, credit_at, None)
    # Without the credit line, the last body paragraph ends the article and is not a credit.
    assert_parse_error(text, credit_at - 2, "credit line", "Iranian and Syrian officials")


def test_credit_line_naming_a_source_twice_is_refused():
    text = SMALL_PAGE.replace("HARBOUR DAILY/AP", "AP/HARBOUR DAILY/AP")
    assert_parse_error(text, line_number(SMALL_PAGE, "HARBOUR DAILY/AP"), "each source once")


def test_comment_at_an_odd_indent_is_refused(seed_text):
    at = line_number(seed_text, "    1. arzatna1 Avatar")
    text = replace_line(seed_text, at, "     1. arzatna1 Avatar")
    assert_parse_error(text, at, "comment numbered")


def test_reply_that_skips_a_level_is_refused(seed_text):
    at = line_number(seed_text, "    1. arzatna1 Avatar")
    text = replace_line(seed_text, at, "      1. arzatna1 Avatar")
    assert_parse_error(
        text, at, "1. at 4 spaces or 2. at 2 spaces", 'found "1. arzatna1 Avatar" at 6'
    )


def test_comment_text_less_indented_than_its_comment_is_refused(seed_text):
    at = line_number(seed_text, "      Yes he is promising")
    text = replace_line(seed_text, at, "    Yes he is promising them 72 virgins")
    assert_parse_error(text, at, "indented 6 spaces")


def test_numbering_that_skips_is_refused(seed_text):
    at = line_number(seed_text, "  3. nagy_michael2 Avatar")
    text = replace_line(seed_text, at, "  4. nagy_michael2 Avatar")
    assert_parse_error(text, at, "comment number 3")


def test_numbering_that_does_not_start_at_one_is_refused():
    at = line_number(SMALL_PAGE, "  1. mira Avatar")
    assert_parse_error(replace_line(SMALL_PAGE, at, "  2. mira Avatar"), at, "comment number 1")


def test_comment_with_no_text_is_refused():
    at = line_number(SMALL_PAGE, "  2. ole Avatar")
    text = SMALL_PAGE.replace("    Good work, crews.\n", "")
    assert_parse_error(text, at, "comment's text")


def test_tab_indentation_is_refused():
    at = line_number(SMALL_PAGE, "    About time.")
    assert_parse_error(replace_line(SMALL_PAGE, at, "\tAbout time."), at, "spaces", "\\t")


def test_comments_without_a_responses_line_are_refused():
    text = replace_line(SMALL_PAGE, line_number(SMALL_PAGE, "3 responses to"), None)
    assert_parse_error(text, line_number(text, "  1. mira"), "responses line", "1. mira")


def test_text_after_the_comments_that_is_not_the_reply_form_is_refused():
    text = SMALL_PAGE.replace("Leave a Reply", "Related stories")
    assert_parse_error(text, len(lines_of(text)), "Leave a Reply")


def test_undecodable_bytes_are_refused_at_their_line(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(SMALL_PAGE.encode().replace(b"About time.", b"About \xff time."))
    with pytest.raises(ParseError) as caught:
        read_page_file(path)
    assert caught.value.line == line_number(SMALL_PAGE, "    About time.")
    assert "UTF-8" in caught.value.message


# -- arbitrary input never fails with anything but ParseError --------------------------------

page_lines = st.sampled_from(
    [*lines_of(SMALL_PAGE), "", "  1. x Avatar", "    2.", "      3. y", "\t", " \u00a0x", "A/B"]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_parses_or_raises_parse_error(text):
    try:
        page = parse_page(text)
    except ParseError as error:
        assert error.line >= 1
        assert error.line <= max(1, len(text.splitlines()) + 1)
    else:
        assert page.headline and page.sources


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(page_lines, max_size=40))
def test_shuffled_page_lines_parse_or_raise_parse_error(lines):
    try:
        page = parse_page("\n".join(lines))
    except ParseError as error:
        assert 1 <= error.line <= max(1, len(lines) + 1)
    else:
        assert page.comment_count == sum(1 for _ in page.walk_comments())
        for comment in page.walk_comments():
            assert comment.body.strip()


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_seed_with_one_line_changed_parses_or_raises_parse_error(seed_text, data):
    lines = lines_of(seed_text)
    at = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    lines[at] = data.draw(st.one_of(st.text(max_size=30), page_lines))
    try:
        parse_page("\n".join(lines))
    except ParseError as error:
        assert 1 <= error.line <= len(lines) + 1
