"""The comment tree's markup, built in Python: escaped, and the same for every kind of node."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from broadsheet.discussion.comment_html import comment_list, shown_date
from broadsheet.discussion.models import Comment
from broadsheet.discussion.section import discussion_section
from broadsheet.discussion.selectors.threads import CommentNode
from broadsheet.discussion.tests.factories import ThreadFactory, post

pytestmark = pytest.mark.django_db


def _section(thread, query: str = ""):
    request = RequestFactory().get(f"/story/{query}")
    request.session = SessionStore()
    request.user = AnonymousUser()
    return discussion_section(request, thread=thread)


def test_names_links_and_placeholders_are_escaped_and_bodies_kept_sanitized():
    thread = ThreadFactory(url="")
    hostile = post(
        thread,
        "Fine words <script>alert(1)</script> and **bold** ones.",
        name='Eve "<img src=x>"',
        author_url="https://example.org/?a=1&b=<2>",
    )
    html = str(comment_list(_section(thread).page.nodes, _section(thread)))
    assert "Eve &quot;&lt;img src=x&gt;&quot;" in html
    assert 'href="https://example.org/?a=1&amp;b=&lt;2&gt;" rel="nofollow ugc noopener"' in html
    assert 'data-author="Eve &quot;&lt;img src=x&gt;&quot;"' in html
    assert "<script>" not in html and "<strong>bold</strong>" in html
    assert f'<li id="comment-{hostile.pk}" class="comment depth-1">' in html


def test_replies_nest_and_tombstones_keep_them_without_the_deleted_text():
    thread = ThreadFactory(url="")
    top = post(thread, "The first comment, long enough.")
    reply = post(thread, "A reply that stays, long enough.", parent=top, name="Bob")
    Comment.objects.filter(pk=top.pk).update(status=Comment.Status.DELETED)
    section = _section(thread, "?sort=newest")
    html = str(comment_list(section.page.nodes, section))
    assert f'<li id="comment-{top.pk}" class="comment depth-1 comment--deleted">' in html
    assert "The first comment" not in html and '<p class="comment__tombstone">' in html
    assert html.index('<ol class="children">') < html.index(f'id="comment-{reply.pk}"')
    assert f'href="?sort=newest&amp;replytocom={reply.pk}#respond"' in html


def test_the_authors_own_held_comment_says_so_and_offers_edit_and_delete():
    thread = ThreadFactory(url="")
    mine = post(thread, "My comment, waiting for a moderator.")
    Comment.objects.filter(pk=mine.pk).update(status=Comment.Status.PENDING)
    mine.refresh_from_db()
    section = _section(thread)
    html = str(comment_list([CommentNode(comment=mine, is_own=True, can_edit=True)], section))
    assert "comment--pending comment--own" in html
    assert "Your comment is awaiting moderation." in html
    assert f'href="/comments/{mine.pk}/edit/">Edit</a>' in html
    assert f'href="/comments/{mine.pk}/delete/">Delete</a>' in html
    assert "Reply</a>" not in html and "Report</a>" not in html


def test_closed_threads_offer_no_reply_and_times_follow_the_site_zone(settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    thread = ThreadFactory(url="")
    comment = post(thread, "A comment on a closed thread, long enough.")
    when = dt.datetime(2026, 7, 3, 23, 30, tzinfo=dt.UTC)
    Comment.objects.filter(pk=comment.pk).update(created_at=when)
    section = _section(thread)
    section.is_open = False
    with timezone.override("Europe/Lisbon"):
        html = str(comment_list(section.page.nodes, section))
    assert "Reply</a>" not in html and "Report</a>" in html
    assert '<time datetime="2026-07-04T00:30:00+01:00">4 July 2026 at 00:30</time>' in html
    assert shown_date(dt.datetime(2026, 12, 4, 9, 5)) == "4 December 2026 at 09:05"
