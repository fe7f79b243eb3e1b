"""The page's reader comments are stored in their tree, once, approved and in page order."""

from __future__ import annotations

import pytest

from broadsheet.discussion.models import Comment, Thread
from broadsheet.ingest.seed_format import parse_page, read_page_file
from broadsheet.ingest.services import page_import
from broadsheet.newsroom.embed import article_thread_key
from broadsheet.newsroom.models import Article

pytestmark = pytest.mark.django_db


def tree(thread: Thread) -> list[tuple[int, str, str]]:
    """(depth, author, first words) for each comment in thread order."""
    return [
        (c.depth, c.author_name, " ".join(c.body.split()[:3]))
        for c in Comment.objects.filter(thread=thread).order_by("path")
    ]


@pytest.fixture
def seed(seed_page):
    return read_page_file(seed_page)


def test_seed_comments_are_stored_as_the_pages_tree(seed):
    result = page_import(parsed=seed)

    thread = Thread.objects.get(key=article_thread_key(result.article))
    assert result.comments_created == 7
    assert tree(thread) == [
        (0, "5thDrawer", "Nothing like a"),
        (1, "arzatna1", "Yes he is"),
        (2, "5thDrawer", "Hmmm .. will"),
        (0, "", "“A recent survey"),
        (1, "5thDrawer", "Time to whip"),
        (0, "nagy_michael2", "Maybe Suleimani is"),
        (0, "ahorvath", "Just love the"),
    ]
    assert thread.comment_count == 7
    assert thread.title == seed.headline


def test_replies_hang_under_their_parents(seed):
    result = page_import(parsed=seed)

    comments = list(Comment.objects.order_by("path"))
    first, reply, reply_to_reply, anonymous, anonymous_reply, nagy, ahorvath = comments
    assert reply.parent == first
    assert reply_to_reply.parent == reply
    assert anonymous_reply.parent == anonymous
    assert {c.parent for c in (first, anonymous, nagy, ahorvath)} == {None}
    assert all(c.thread.key == article_thread_key(result.article) for c in comments)


def test_imported_comments_are_approved_guests_without_email(seed):
    page_import(parsed=seed)

    comments = Comment.objects.all()
    assert {c.status for c in comments} == {Comment.Status.APPROVED}
    assert {c.user_id for c in comments} == {None}
    assert {c.author_email for c in comments} == {""}
    anonymous = Comment.objects.get(author_name="")
    assert anonymous.display_name == "Anonymous"


def test_comment_text_renders_as_written_with_its_line_breaks(seed):
    page_import(parsed=seed)

    anonymous = Comment.objects.get(author_name="")
    html = anonymous.body_html
    assert html.count("<p>") == 2
    assert "women in Iraq have suffered some form of sexual harassment.”</p>" in html
    assert "these invading Iranian pigs win.<br" in html
    nagy = Comment.objects.get(author_name="nagy_michael2")
    assert "nagy_michael2" not in nagy.body_html
    assert nagy.body_html.startswith("<p>Maybe Suleimani is good for Gorilla warfare")


def test_reimport_keeps_seven_comments(seed):
    page_import(parsed=seed)
    before = list(Comment.objects.order_by("path").values_list("pk", "path", "body"))

    again = page_import(parsed=seed)

    assert again.comments_created == 0
    assert "comments" not in again.changes
    assert list(Comment.objects.order_by("path").values_list("pk", "path", "body")) == before
    assert Thread.objects.get().comment_count == 7


def test_a_new_reply_on_reimport_is_added_under_its_parent(seed_page):
    page_import(parsed=read_page_file(seed_page))
    text = seed_page.read_text(encoding="utf-8").replace(
        "  4. ahorvath Avatar\n\n    Just love the way Russia and Iran (and now Cuba) are "
        "humiliating Obama.\n",
        "  4. ahorvath Avatar\n\n    Just love the way Russia and Iran (and now Cuba) are "
        "humiliating Obama.\n\n    1. lena Avatar\n\n      Late to this, but agreed.\n",
    )

    result = page_import(parsed=parse_page(text))

    assert result.comments_created == 1
    assert result.changes["comments"] == (7, 8)
    new = Comment.objects.get(author_name="lena")
    assert new.parent.author_name == "ahorvath"
    assert Comment.objects.count() == 8


def test_dry_run_stores_no_comments_and_no_thread(seed):
    result = page_import(parsed=seed, dry_run=True)

    assert result.comments_created == 7
    assert result.changes["comments"] == (None, 7)
    assert not Comment.objects.exists()
    assert not Thread.objects.exists()
    assert not Article.objects.exists()
