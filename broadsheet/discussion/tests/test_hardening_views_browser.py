"""The comment list as a reader's browser draws it."""

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
def test_comment_numbers_sit_level_with_the_author_line(page, live_server):
    thread = ThreadFactory(url="")
    first = post(thread, "A first comment.")
    post(thread, "A reply.", parent=first, name="Bo", email="bo@example.org")
    page.goto(f"{live_server.url}/comments/thread/{thread.pk}/")
    for li in page.locator("li.comment").all():
        author = li.locator(":scope > article .comment__author").bounding_box()
        number = li.evaluate(NUMBER_CENTRE)
        assert "counter" in number["content"] or number["content"].strip('"').endswith(".")
        author_centre = author["y"] + author["height"] / 2
        assert abs(number["centre"] - author_centre) < 6, (number, author)
    marker = page.locator("ol.comment-list").evaluate("ol => getComputedStyle(ol).listStyleType")
    assert marker == "none"  # the drawn number replaces the marker that sank below the header
