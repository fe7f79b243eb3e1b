"""A reader joins the imported seed article's discussion in a real browser: tree, post, reply."""

from __future__ import annotations

import pytest

from broadsheet.discussion.models import Comment
from broadsheet.ingest.seed_format import read_page_file
from broadsheet.ingest.services import page_import

HEADLINE = "Gen. Soleimani seen rallying Iranian officers, Hezbollah in Syria"
# The seed's tree (seed/README.md): author per comment, indented by depth.
SEED_TREE = [
    (0, "5thDrawer"),
    (1, "arzatna1"),
    (2, "5thDrawer"),
    (0, "Anonymous"),
    (1, "5thDrawer"),
    (0, "nagy_michael2"),
    (0, "ahorvath"),
]


def tree_on_page(page) -> list[tuple[int, str]]:
    """Read (depth, author) for every comment, in document order."""
    return page.eval_on_selector_all(
        "#comments li.comment",
        """items => items.map(li => [
            (function depth(el) { let d = 0; let p = el.parentElement.closest('li.comment');
              while (p) { d++; p = p.parentElement.closest('li.comment'); } return d; })(li),
            li.querySelector(':scope > article .comment__author').innerText.trim()
        ])""",
    )


@pytest.fixture
def seed_article(seed_page, settings):
    # A browser fills the form faster than the referee's minimum form age; people do not.
    settings.MODERATION_MIN_FORM_SECONDS = 0
    return page_import(parsed=read_page_file(seed_page)).article


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_joins_the_seed_discussion(seed_article, live_server, page):
    url = live_server.url + seed_article.get_absolute_url()
    page.goto(url)
    comments = page.locator("#comments")
    assert comments.locator("h2").inner_text() == "Comments"
    assert comments.get_by_text(f"7 responses to “{HEADLINE}”", exact=True).is_visible()
    assert [tuple(row) for row in tree_on_page(page)] == SEED_TREE
    assert comments.locator("li.comment img.avatar").count() == 7
    assert comments.get_by_role("heading", name="Leave a Reply").is_visible()

    # A new top-level comment, remembering the reader's details in this browser.
    page.fill("#id_author_name", "Pat Reader")
    page.fill("#id_author_email", "pat@example.org")
    page.fill("#id_author_url", "https://pat.example.net")
    page.fill("#id_body", "The photos say more about **morale** than about strategy.")
    page.check("#id_save_identity")
    page.click("#submit")
    page.wait_for_url("**#comment-*")
    mine = Comment.objects.get(author_name="Pat Reader")
    new = page.locator(f"li#comment-{mine.pk}")
    assert new.is_visible()
    assert new.locator("strong").inner_text() == "morale"
    assert new.locator("img.avatar").get_attribute("src").startswith("/avatars/")
    assert new.locator(".comment__author a").get_attribute("rel") == "nofollow ugc noopener"
    assert tree_on_page(page)[-1] == [0, "Pat Reader"]
    assert comments.get_by_text(f"8 responses to “{HEADLINE}”", exact=True).is_visible()

    # Reply to a reply: the form moves under arzatna1's comment and the reply lands there.
    target = Comment.objects.get(author_name="arzatna1")
    page.locator(f"#div-comment-{target.pk} .comment-reply-link").click()
    assert page.locator(f"li#comment-{target.pk} #respond").count() == 1
    assert page.locator("#reply-title").inner_text().startswith("Leave a Reply to arzatna1")
    assert page.input_value("#id_author_name") == "Pat Reader"  # remembered by the script
    page.fill("#id_body", "Virgins or not, a pep talk cannot replace air cover.")
    page.click("#submit")
    page.wait_for_url("**#comment-*")
    reply = Comment.objects.get(body__startswith="Virgins or not")
    assert reply.parent_id == target.pk
    placed = page.locator(f"li#comment-{target.pk} > ol.children > li#comment-{reply.pk}")
    assert placed.is_visible()
    assert placed.locator("img.avatar").is_visible()
    assert [tuple(row) for row in tree_on_page(page)] == [
        (0, "5thDrawer"),
        (1, "arzatna1"),
        (2, "5thDrawer"),
        (2, "Pat Reader"),
        (0, "Anonymous"),
        (1, "5thDrawer"),
        (0, "nagy_michael2"),
        (0, "ahorvath"),
        (0, "Pat Reader"),
    ]

    # An empty comment: the error next to the field, everything typed still there.
    page.goto(url)
    page.fill("#id_author_name", "Sam Typist")
    page.fill("#id_author_email", "sam@example.org")
    page.fill("#id_author_url", "https://sam.example.org")
    page.fill("#id_body", "")
    page.click("#submit")
    error = page.locator("#error-body")
    assert error.inner_text() == "Please write a comment."
    assert error.is_visible()
    assert page.input_value("#id_author_name") == "Sam Typist"
    assert page.input_value("#id_author_email") == "sam@example.org"
    assert page.input_value("#id_author_url") == "https://sam.example.org"
    assert page.get_attribute("#id_body", "aria-invalid") == "true"
    assert Comment.objects.filter(author_name="Sam Typist").count() == 0
