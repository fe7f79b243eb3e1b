"""The discussion in a real browser: moving the reply form, the drawn comment numbers."""

from __future__ import annotations

import pytest

from broadsheet.discussion.tests.factories import ThreadFactory, post

NUMBER_CENTRE = """li => {
  const before = getComputedStyle(li, '::before');
  const top = li.getBoundingClientRect().top + parseFloat(before.top);
  return {content: before.content, centre: top + parseFloat(before.lineHeight) / 2};
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_cancel_reply_puts_the_form_back(live_server, page):
    thread = ThreadFactory(title="A page elsewhere")
    top = post(thread, "Top-level thought.")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/comments/thread/{thread.pk}/")
    page.locator(f"#div-comment-{top.pk} .comment-reply-link").click()
    assert page.locator(f"li#comment-{top.pk} #respond").count() == 1
    assert page.input_value("input[name=parent]") == str(top.pk)
    page.click("#cancel-comment-reply-link")
    assert page.locator(f"li#comment-{top.pk} #respond").count() == 0
    assert page.input_value("input[name=parent]") == ""
    assert page.locator("#cancel-comment-reply-link").is_hidden()
    assert errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_comment_numbers_sit_level_with_the_author_line(page, live_server):
    thread = ThreadFactory(url="")
    first = post(thread, "A first comment.")
    post(thread, "A reply.", parent=first, name="Bo", email="bo@example.org")
    page.goto(f"{live_server.url}/comments/thread/{thread.pk}/")
    for li in page.locator("li.comment").all():
        author = li.locator(":scope > article .comment__author").bounding_box()
        number = li.evaluate(NUMBER_CENTRE)
        assert number["content"] == 'counter(comment) "."'  # "1.", "2." drawn by the page's CSS
        author_centre = author["y"] + author["height"] / 2
        assert abs(number["centre"] - author_centre) < 6, (number, author)
    marker = page.locator("ol.comment-list").evaluate("ol => getComputedStyle(ol).listStyleType")
    assert marker == "none"  # the drawn number replaces the marker that sank below the header
