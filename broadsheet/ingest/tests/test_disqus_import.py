"""import_disqus: threads matched to articles or kept by URL, posts in their trees, once."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.pages import url_thread_key
from broadsheet.ingest.models import LegacyURL
from broadsheet.moderation.services.word_rules import word_rule_set
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.embed import article_thread

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "data" / "disqus_export.xml"
KITES = "https://blog.example.net/posts/kites/"


@pytest.fixture
def articles():
    ferry = newsroom.article_create(headline="Ferry returns to the island", slug="ferry-returns")
    ferry = newsroom.article_publish(article=ferry, now=datetime(2024, 1, 2, 9, tzinfo=UTC))
    # The old site's address is kept by the WordPress import; the Disqus thread links to it.
    LegacyURL.objects.create(path="/2019/05/02/ferry-returns/", article=ferry)
    light = newsroom.article_create(
        headline="Lighthouse keeper retires", slug="lighthouse", import_key="gazette-lighthouse"
    )
    light = newsroom.article_publish(article=light)
    return ferry, light


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_disqus", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def tree(thread: Thread) -> list[tuple[int, str, str, str]]:
    return [
        (c.depth, c.author_name, c.status, c.body)
        for c in Comment.objects.filter(thread=thread).order_by("path")
    ]


def test_threads_match_articles_by_old_url_and_identifier_or_stay_external(articles):
    ferry, light = articles
    output = run(str(EXPORT))

    assert tree(article_thread(ferry)) == [
        (0, "Rosa Quay", "approved", "Good to see the **ferry** back.\n\nAbout time!"),
        (
            1,
            "Tom Pier",
            "approved",
            "Agreed, see [the timetable](https://ferry.example/timetable).",
        ),
        (2, "Guest", "approved", "Replying to a reply that comes later in the file."),
        (0, "Watch Seller", "spam", "Cheap watches at http://spam.example"),
    ]
    # The deleted post stays as a tombstone because it has a reply.
    assert tree(article_thread(light)) == [
        (0, "Gone Reader", "deleted", "[deleted]"),
        (1, "Ivy Dunes", "approved", "He kept that light burning for 40 years."),
    ]
    kites = Thread.objects.get(key=url_thread_key(KITES))
    assert kites.url == KITES and kites.title == "Kites over the bay"
    [kite] = kites.comments.all()
    assert kite.body_html == "<p>Lovely kites &amp; a lovely day.</p>\n"
    assert "<script>" not in kite.body_html and "alert" not in kite.body_html
    assert output.splitlines()[:4] == [
        "imported 7 of 7 posts (5 approved, 1 deleted, 1 spam)",
        "  threads: 3 (2 matched to articles, 1 kept as external pages)",
        "  already imported: 0",
        "  for moderators to review (the referee would not have published them): 0",
    ]


def test_authors_dates_and_emails_come_only_from_the_file(articles):
    ferry, _light = articles
    run(str(EXPORT))

    rosa = Comment.objects.get(import_key="disqus:5001")
    assert rosa.author_email == "rosa@example.org"
    assert rosa.created_at == datetime(2019, 5, 2, 9, tzinfo=UTC)
    assert (
        rosa.body_html
        == "<p>Good to see the <strong>ferry</strong> back.</p>\n<p>About time!</p>\n"
    )
    assert Comment.objects.get(import_key="disqus:5002").author_email == ""
    assert Comment.objects.get(import_key="disqus:5003").author_email == ""
    thread = article_thread(ferry)
    thread.refresh_from_db()
    assert thread.comment_count == 3


def test_reimport_adds_nothing(articles):
    run(str(EXPORT))
    before = list(Comment.objects.order_by("pk").values_list("pk", "path", "status"))

    output = run(str(EXPORT))

    assert list(Comment.objects.order_by("pk").values_list("pk", "path", "status")) == before
    assert output.splitlines()[0] == "imported 0 of 7 posts"
    assert "  already imported: 7" in output.splitlines()


def test_a_dry_run_counts_and_writes_nothing(articles):
    output = run(str(EXPORT), "--dry-run")

    assert output.splitlines()[0].startswith("dry run, nothing written: would import 7 of 7 posts")
    assert Comment.objects.count() == 0
    assert not Thread.objects.filter(key=url_thread_key(KITES)).exists()


def test_comments_the_referee_would_hold_keep_their_status_and_await_review(articles):
    word_rule_set(word="watches", action="hold")
    word_rule_set(word="burning", action="hold")
    output = run(str(EXPORT))

    held = Comment.objects.get(import_key="disqus:5006")
    assert held.status == "approved" and held.review_imported
    assert held.verdict["decision"] == "hold" and held.verdict["imported"] is True
    # Spam in Disqus already: nothing for moderators to look at again.
    assert not Comment.objects.get(import_key="disqus:5004").review_imported
    assert "  for moderators to review (the referee would not have published them): 1" in output


def test_a_reply_whose_parent_is_missing_goes_to_the_top_and_is_counted(articles, tmp_path):
    text = EXPORT.read_text().replace('<parent dsq:id="5001"/>', '<parent dsq:id="4242"/>')
    path = tmp_path / "orphan.xml"
    path.write_text(text)
    output = run(str(path))

    ferry, _light = articles
    assert [(d, n) for d, n, _s, _b in tree(article_thread(ferry))] == [
        (0, "Rosa Quay"),
        (0, "Watch Seller"),
        (0, "Tom Pier"),
        (1, "Guest"),
    ]
    assert "  replies whose parent is not in the file, put at the top: 1" in output


def test_posts_in_threads_without_a_page_are_skipped_and_counted(tmp_path):
    text = EXPORT.read_text().replace(
        "<link>https://blog.example.net/posts/kites/</link>", "<link>not a url</link>"
    )
    path = tmp_path / "nolink.xml"
    path.write_text(text)
    output = run(str(path))

    assert "  skipped: 1 post in a thread without a usable link" in output
    assert "  skipped: 1 thread without a usable link" in output


def test_replies_find_parents_stored_in_earlier_batches(articles, monkeypatch):
    from broadsheet.ingest.disqus import importer

    monkeypatch.setattr(importer, "BATCH", 2)
    run(str(EXPORT))

    ferry, light = articles
    assert [(d, n, s) for d, n, s, _b in tree(article_thread(ferry))] == [
        (0, "Rosa Quay", "approved"),
        (1, "Tom Pier", "approved"),
        (2, "Guest", "approved"),
        (0, "Watch Seller", "spam"),
    ]
    assert [(d, n) for d, n, _s, _b in tree(article_thread(light))] == [
        (0, "Gone Reader"),
        (1, "Ivy Dunes"),
    ]
    thread = article_thread(ferry)
    thread.refresh_from_db()
    assert (thread.comment_count, thread.top_level_count) == (3, 1)
