"""A reader opens the imported seed article in a real browser."""

from __future__ import annotations

import pytest

from broadsheet.ingest.seed_format import read_page_file
from broadsheet.ingest.services import page_import

HEADLINE = "Gen. Soleimani seen rallying Iranian officers, Hezbollah in Syria"


@pytest.fixture
def seed_article(seed_page, live_server, page):
    """Import the seed and open its page; return the parsed page."""
    parsed = read_page_file(seed_page)
    article = page_import(parsed=parsed).article
    response = page.goto(live_server.url + article.get_absolute_url())
    assert response.status == 200
    return parsed


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_sees_headline_body_and_credit_line(seed_article, page):
    assert page.locator("h1").inner_text() == HEADLINE
    story = page.locator("article").first.inner_text()
    assert seed_article.paragraphs[0] in story
    assert seed_article.paragraphs[-1] in story
    assert page.get_by_text("FOX NEWS/AP/REUTERS", exact=True).is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_sees_both_caption_wordings(seed_article, page):
    caption = page.locator("figcaption")
    assert caption.is_visible()
    assert seed_article.caption in caption.inner_text()
    assert seed_article.second_caption in caption.inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_sees_the_seven_responses_in_their_tree(seed_article, page):
    comments = page.locator("#comments")
    assert comments.get_by_text(f"7 responses to “{HEADLINE}”", exact=True).is_visible()
    top_level = comments.locator("ol.comment-list > li")
    assert top_level.count() == 4
    authors = comments.locator(".comment__author").all_inner_texts()
    assert authors == [
        "5thDrawer",
        "arzatna1",
        "5thDrawer",
        "Anonymous",
        "5thDrawer",
        "nagy_michael2",
        "ahorvath",
    ]
    first = top_level.nth(0)
    assert first.locator("li").count() == 2  # a reply and a reply to the reply
    assert first.locator("li li .comment__author").inner_text() == "5thDrawer"
    anonymous = top_level.nth(1)
    assert "PS: under Saddam women had equal rights." in anonymous.inner_text()
    assert anonymous.locator("li .comment__author").inner_text() == "5thDrawer"
