"""The demo site's discussions: written debates and one long thread that needs pages."""

from __future__ import annotations

import pytest

from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.selectors import thread_page
from broadsheet.discussion.services import thread_recount
from broadsheet.newsroom.demo import demo_load
from broadsheet.newsroom.demo_discussion import demo_discussion_load
from broadsheet.newsroom.models import Article

pytestmark = pytest.mark.django_db


def test_demo_has_debates_and_a_long_paginated_thread():
    demo_load()
    threads = Thread.objects.filter(comment_count__gt=0).order_by("-comment_count")
    big = threads[0]
    assert big.comment_count >= 2000
    before = (big.comment_count, big.top_level_count)
    thread_recount(thread=big)
    big.refresh_from_db()
    assert (big.comment_count, big.top_level_count) == before
    assert thread_page(thread=big).num_pages > 1
    written = Comment.objects.filter(import_key__startswith="demo:comment:")
    assert written.filter(depth__gte=2).exists()  # replies to replies
    assert written.exclude(author_url="").exists()  # a guest with a website
    assert written.filter(user__isnull=False).exists()  # a registered reader
    assert len(threads) >= 3


def test_demo_discussion_load_is_safe_to_run_again():
    demo_load()
    count = Comment.objects.count()
    demo_discussion_load(list(Article.objects.all()))
    assert Comment.objects.count() == count
