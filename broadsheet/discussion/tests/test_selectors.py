"""Reading a thread: tree order under each sort, pages of complete branches, permalinks."""

from __future__ import annotations

import pytest
from django.test import override_settings

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment
from broadsheet.discussion.security import comment_token
from broadsheet.discussion.selectors import (
    Viewer,
    comment_counts_for_keys,
    comment_page_number,
    thread_page,
)
from broadsheet.discussion.tests.factories import ThreadFactory, big_thread, post

pytestmark = pytest.mark.django_db


def outline(nodes, depth=0) -> list[str]:
    """Flatten a tree into indented bodies, the way a reader scans it."""
    lines = []
    for node in nodes:
        text = "[deleted]" if node.is_tombstone else node.comment.body
        lines.append("  " * depth + text)
        lines.extend(outline(node.children, depth + 1))
    return lines


@pytest.fixture
def debate():
    """A small thread: A (2 replies, one nested), B (none), C (1 reply)."""
    thread = ThreadFactory()
    a = post(thread, "A", email="a@example.org")
    a1 = post(thread, "A1", parent=a, email="a1@example.org")
    post(thread, "A1a", parent=a1, email="a1a@example.org")
    b = post(thread, "B", email="b@example.org")
    c = post(thread, "C", email="c@example.org")
    post(thread, "A2", parent=a, email="a2@example.org")
    post(thread, "C1", parent=c, email="c1@example.org")
    thread.refresh_from_db()
    return thread, {"a": a, "b": b, "c": c}


def test_oldest_first_is_the_tree_in_posting_order(debate):
    thread, _ = debate
    assert outline(thread_page(thread=thread, sort="oldest").nodes) == [
        "A", "  A1", "    A1a", "  A2", "B", "C", "  C1",
    ]  # fmt: skip


def test_newest_first_reverses_top_level_but_keeps_replies_in_order(debate):
    thread, _ = debate
    assert outline(thread_page(thread=thread, sort="newest").nodes) == [
        "C", "  C1", "B", "A", "  A1", "    A1a", "  A2",
    ]  # fmt: skip


def test_most_replies_puts_the_liveliest_branch_first(debate):
    thread, _ = debate
    assert outline(thread_page(thread=thread, sort="replies").nodes) == [
        "A", "  A1", "    A1a", "  A2", "C", "  C1", "B",
    ]  # fmt: skip


def test_unknown_sort_falls_back_to_oldest(debate):
    thread, _ = debate
    page = thread_page(thread=thread, sort="'; drop table")
    assert page.sort == "oldest"


def test_pages_hold_top_level_comments_with_all_their_replies(debate):
    thread, _ = debate
    first = thread_page(thread=thread, page=1, per_page=2)
    second = thread_page(thread=thread, page=2, per_page=2)
    assert outline(first.nodes) == ["A", "  A1", "    A1a", "  A2", "B"]
    assert outline(second.nodes) == ["C", "  C1"]
    assert (first.num_pages, first.has_next, second.has_previous) == (2, True, True)


def test_page_beyond_the_end_shows_the_last_page(debate):
    thread, _ = debate
    assert thread_page(thread=thread, page=99, per_page=2).number == 2
    assert thread_page(thread=thread, page="nonsense", per_page=2).number == 1


@override_settings(COMMENTS_PER_PAGE=2)
def test_permalink_page_of_a_reply_is_its_branch_page(debate):
    thread, comments = debate
    reply = Comment.objects.get(thread=thread, body="C1")
    assert comment_page_number(comment=reply) == 2
    assert comment_page_number(comment=reply, sort="newest") == 1
    assert comment_page_number(comment=comments["b"], sort="replies") == 2


def test_pending_comment_is_shown_only_to_its_author(debate, referee):
    thread, _ = debate
    referee.hold()
    held = post(thread, "Held", email="h@example.org")
    thread.refresh_from_db()
    assert "Held" not in outline(thread_page(thread=thread).nodes)
    mine = thread_page(thread=thread, viewer=Viewer(own_ids=frozenset({held.pk})))
    node = next(n for n in mine.nodes if n.comment.pk == held.pk)
    assert node.is_pending and node.is_own and node.can_edit


def test_deleted_comment_with_replies_stays_as_a_tombstone(debate):
    thread, comments = debate
    services.comment_delete(comment=comments["a"], token=comment_token(comments["a"].pk))
    services.comment_delete(comment=comments["b"], token=comment_token(comments["b"].pk))
    thread.refresh_from_db()
    assert outline(thread_page(thread=thread).nodes) == [
        "[deleted]", "  A1", "    A1a", "  A2", "C", "  C1",
    ]  # fmt: skip


def test_big_thread_pages_are_complete_and_cover_every_comment():
    thread = big_thread(400)
    seen = 0
    for number in range(1, thread_page(thread=thread).num_pages + 1):
        page = thread_page(thread=thread, page=number)
        assert len(page.nodes) <= 50
        seen += len(outline(page.nodes))
    assert seen == thread.comment_count == 400


def test_counts_for_many_keys_in_one_query(django_assert_num_queries):
    thread = big_thread(12)
    with django_assert_num_queries(1):
        counts = comment_counts_for_keys([thread.key, "nope"])
    assert counts == {thread.key: 12, "nope": 0}


def test_own_held_comment_past_a_full_page_gets_its_own_page(referee):
    thread = big_thread(4, replies_every=0)
    referee.hold()
    held = post(thread, "Mine, waiting.")
    viewer = Viewer(own_ids=frozenset({held.pk}))
    assert thread_page(thread=thread, per_page=4).num_pages == 1
    second = thread_page(thread=thread, viewer=viewer, per_page=4, page=2)
    assert [n.comment.pk for n in second.nodes] == [held.pk]
