"""The wire desk end to end: feeds served by a local HTTP server, polled into drafts and groups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from broadsheet.ingest.models import WireFeed, WireGroup, WireItem
from broadsheet.ingest.tests.wire_server import DATA, Route, start
from broadsheet.ingest.wire import (
    backoff_delay,
    wire_feed_create,
    wire_feed_poll,
    wire_group_merge,
    wire_poll_due,
)
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.tests.factories import SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    state, httpd = start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def _feed(server, path: str, name: str, credit: str, content_type: str = "application/xml"):
    source = SourceFactory.create(name=f"{credit} wire", credit_name=credit)
    return wire_feed_create(source=source, url=server.serve_file(path, name, content_type))


@pytest.fixture
def three_feeds(server):
    return [
        _feed(server, "/a.rss", "agency_a.rss", "AGENCY A"),
        _feed(server, "/b.json", "agency_b.ninjs.json", "AGENCY B", "application/json"),
        _feed(server, "/c.atom", "agency_c.atom", "AGENCY C"),
    ]


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True, is_superuser=True)
    return user


def test_three_feeds_give_two_groups_and_the_pair_merges_with_both_credits(three_feeds, editor):
    results = wire_poll_due()

    assert [r.status for r in results] == ["ok", "ok", "ok"]
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 3
    groups = list(WireGroup.objects.all())
    assert len(groups) == 2
    pair = next(g for g in groups if g.items.count() == 2)
    assert {i.feed.source.credit_name for i in pair.items.all()} == {"AGENCY A", "AGENCY B"}

    a = WireItem.objects.get(feed=three_feeds[0])
    b = WireItem.objects.get(feed=three_feeds[1])
    merged = wire_group_merge(
        group=pair,
        paragraphs=[(a.pk, 0), (a.pk, 1), (a.pk, 2), (b.pk, 1), (b.pk, 2)],
        editor=editor,
    )

    article = Article.objects.get(pk=merged.article.pk)
    assert article.status == Article.Status.DRAFT
    assert article.credit_line == "AGENCY A/AGENCY B"
    assert article.headline == a.headline
    image = article.lead_image
    assert image.caption.startswith("Emergency crews work beside the collapsed crane")
    assert image.second_caption.startswith("Emergency crews work next to the collapsed crane")
    assert image.captions_near_duplicate is True
    assert merged.captions_near_duplicate is True
    # Agency A's third paragraph and Agency B's second are one fact in two wordings.
    assert merged.near_duplicate_paragraphs == ((2, 3),)
    assert "The crane fell across two berths" in article.body
    assert "vessels due at Northport" in article.body
    # The merged story keeps the strictest embargo of its sources.
    assert article.embargo_until == datetime(2026, 12, 1, 12, tzinfo=UTC)
    pair.refresh_from_db()
    assert pair.merged_into_id == article.pk


def test_credit_order_follows_the_first_chosen_paragraph(three_feeds, editor):
    wire_poll_due()
    a = WireItem.objects.get(feed=three_feeds[0])
    b = WireItem.objects.get(feed=three_feeds[1])

    merged = wire_group_merge(group=a.group, paragraphs=[(b.pk, 0), (a.pk, 1)], editor=editor)

    assert merged.article.credit_line == "AGENCY B/AGENCY A"


def test_new_item_becomes_a_draft_with_credit_link_and_embargo(server):
    feed = _feed(server, "/b.json", "agency_b.ninjs.json", "AGENCY B", "application/json")

    wire_feed_poll(feed=feed)

    item = WireItem.objects.get(feed=feed)
    article = item.article
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.headline == "Four dock workers hurt as crane falls at Northport terminal"
    assert article.dek.startswith("Four workers were injured")
    assert article.credit_line == "AGENCY B"
    assert article.original_url == "https://agency-b.example/stories/northport-crane"
    assert article.embargo_until == datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert item.embargo_until == article.embargo_until


def test_second_poll_sends_the_etag_and_a_304_changes_nothing(server):
    feed = _feed(server, "/a.rss", "agency_a.rss", "AGENCY A")
    wire_feed_poll(feed=feed)
    feed.refresh_from_db()
    assert feed.etag

    result = wire_feed_poll(feed=feed)

    sent = server.headers_for("/a.rss")
    assert "If-None-Match" not in sent[0]
    assert sent[1]["If-None-Match"] == feed.etag
    assert sent[1]["If-Modified-Since"] == "Tue, 01 Dec 2026 10:00:00 GMT"
    assert "Broadsheet" in sent[1]["User-Agent"]
    assert result.status == "not_modified"
    assert WireItem.objects.count() == 1
    assert Article.objects.count() == 1


def test_later_version_updates_the_draft_and_never_adds_one(server):
    source = SourceFactory(credit_name="AGENCY D")
    feed = wire_feed_create(source=source, url=server.serve_file("/d", "agency_d_v1.json"))
    wire_feed_poll(feed=feed)
    draft = WireItem.objects.get().article

    server.serve_file("/d", "agency_d_v2.json")
    feed.refresh_from_db()
    result = wire_feed_poll(feed=feed)

    assert result.updated == 1
    assert Article.objects.count() == 1
    draft.refresh_from_db()
    assert draft.headline == "Hillside reservoir reaches record low, water company says"
    assert "19 percent" in draft.body
    item = WireItem.objects.get()
    assert item.source_updated_at == datetime(2026, 11, 30, 11, tzinfo=UTC)

    # The same version again is not news.
    feed.refresh_from_db()
    server.routes["/d"].etag = False
    assert wire_feed_poll(feed=feed).unchanged == 1


def test_version_after_publication_keeps_the_editors_article(server):
    source = SourceFactory(credit_name="AGENCY D")
    feed = wire_feed_create(source=source, url=server.serve_file("/d", "agency_d_v1.json"))
    wire_feed_poll(feed=feed)
    draft = WireItem.objects.get().article
    newsroom.article_update(article=draft, headline="Reservoir at record low")
    newsroom.article_publish(article=draft)

    server.serve_file("/d", "agency_d_v3.json")
    feed.refresh_from_db()
    wire_feed_poll(feed=feed)

    draft.refresh_from_db()
    assert draft.headline == "Reservoir at record low"
    assert "21 percent" in draft.body
    item = WireItem.objects.get()
    assert "18 percent" in item.body
    assert item.data["updated_after_edit"]
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("route", "error"),
    [
        (Route(status=500, body=b"oops"), "HTTP 500"),
        (Route(delay=1.5, body=b"<rss/>"), "no answer within 0.3 seconds"),
        (Route(body=b"<html><body>Hello</body></html>"), "not an RSS or Atom feed"),
        (Route(body=b"<rss>" + b"x" * 5000 + b"</rss>"), "over the 4096 byte limit"),
    ],
    ids=["server-error", "timeout", "not-a-feed", "over-size"],
)
def test_broken_feed_records_its_error_and_backs_off_while_others_import(
    server, settings, route, error
):
    settings.WIRE_FETCH_TIMEOUT = 0.3
    settings.WIRE_MAX_BYTES = 4096
    good = _feed(server, "/c.atom", "agency_c.atom", "AGENCY C")
    server.routes["/broken"] = route
    broken = wire_feed_create(source=SourceFactory(), url=server.url("/broken"), poll_minutes=10)
    before = timezone.now()

    results = wire_poll_due()

    assert [r.ok for r in results] == [True, False]
    assert WireItem.objects.filter(feed=good).count() == 1
    broken.refresh_from_db()
    assert error in broken.last_error
    assert broken.failures == 1
    assert broken.last_ok_at is None
    assert broken.next_poll_at >= before + timedelta(minutes=20)
    assert not WireItem.objects.filter(feed=broken).exists()

    # Not due again yet: the next round leaves it alone; once due, a second failure doubles.
    assert wire_poll_due() == []
    wire_feed_poll(feed=broken, now=broken.next_poll_at)
    broken.refresh_from_db()
    assert broken.failures == 2


def test_backoff_doubles_per_failure_and_stops_at_a_day():
    assert backoff_delay(poll_minutes=10, failures=1) == timedelta(minutes=20)
    assert backoff_delay(poll_minutes=10, failures=3) == timedelta(minutes=80)
    assert backoff_delay(poll_minutes=10, failures=30) == timedelta(days=1)


def test_recovered_feed_clears_its_error(server):
    server.routes["/flaky"] = Route(status=503, body=b"busy")
    feed = wire_feed_create(source=SourceFactory(), url=server.url("/flaky"))
    wire_feed_poll(feed=feed)
    server.serve_file("/flaky", "agency_c.atom")
    feed.refresh_from_db()

    wire_feed_poll(feed=feed)

    feed.refresh_from_db()
    assert (feed.failures, feed.last_error) == (0, "")
    assert feed.last_ok_at is not None


def test_inactive_feeds_are_not_polled(server):
    feed = _feed(server, "/c.atom", "agency_c.atom", "AGENCY C")
    WireFeed.objects.filter(pk=feed.pk).update(active=False)

    assert wire_poll_due() == []
    assert server.requests == []


def test_wire_poll_command_polls_one_feed_and_reports(server, capsys):
    feed = _feed(server, "/c.atom", "agency_c.atom", "AGENCY C")

    call_command("wire_poll", "--feed", str(feed.pk))

    out = capsys.readouterr().out
    assert "1 new, 0 updated, 0 unchanged" in out
    assert "1 feed(s) polled, 0 failed." in out


def test_wire_poll_command_refuses_an_unknown_feed():
    with pytest.raises(CommandError, match="no wire feed with id 999"):
        call_command("wire_poll", "--feed", "999")


def test_wire_schedule_runs_a_round(server, capsys):
    _feed(server, "/c.atom", "agency_c.atom", "AGENCY C")

    # Tests run tasks inline: scheduling runs one round at once (and does not re-queue itself).
    call_command("wire_schedule")

    assert "Wire polling scheduled." in capsys.readouterr().out
    assert WireItem.objects.count() == 1


def test_served_files_are_all_readable():
    assert sorted(p.name for p in DATA.iterdir()) == [
        "agency_a.rss",
        "agency_b.ninjs.json",
        "agency_c.atom",
        "agency_d_v1.json",
        "agency_d_v2.json",
        "agency_d_v3.json",
        "agency_e.ninjs1.json",
    ]


def test_on_the_database_queue_each_round_queues_the_next_for_the_next_due_feed(
    server, settings, capsys
):
    from django_tasks_db.models import DBTaskResult

    from broadsheet.ingest.tasks import wire_cycle_pending
    from broadsheet.ingest.tasks import wire_poll_due as wire_poll_due_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    feed = _feed(server, "/c.atom", "agency_c.atom", "AGENCY C")
    WireFeed.objects.filter(pk=feed.pk).update(poll_minutes=7)

    assert wire_poll_due_task.call() == 1  # what the worker runs

    feed.refresh_from_db()
    queued = DBTaskResult.objects.get(task_path=wire_poll_due_task.module_path)
    assert queued.run_after == feed.next_poll_at
    assert feed.next_poll_at - feed.last_polled_at == timedelta(minutes=7)
    assert wire_cycle_pending()
    call_command("wire_schedule")
    assert "already scheduled" in capsys.readouterr().out
    assert DBTaskResult.objects.count() == 1


def test_version_after_merge_keeps_the_draft_and_marks_the_item(three_feeds, server, editor):
    import json

    wire_poll_due()
    b = WireItem.objects.get(feed=three_feeds[1])
    wire_group_merge(group=b.group, paragraphs=[(b.pk, 0)], editor=editor)
    data = json.loads((DATA / "agency_b.ninjs.json").read_bytes())
    data["items"][0]["version"] = "2"
    data["items"][0]["headlines"][0]["value"] = "Five dock workers hurt as crane falls"
    server.routes["/b.json"] = Route(body=json.dumps(data).encode())
    feed = WireFeed.objects.get(pk=three_feeds[1].pk)

    result = wire_feed_poll(feed=feed)

    assert result.updated == 1
    b.refresh_from_db()
    assert (b.version, b.headline) == (2, "Five dock workers hurt as crane falls")
    assert b.data["updated_after_edit"]
    assert b.article.headline == "Four dock workers hurt as crane falls at Northport terminal"
    assert Article.objects.count() == 4  # three drafts and the merged one


def test_a_queue_that_cannot_be_searched_still_knows_a_cycle_is_running(capsys):
    from django.core.cache import cache

    from broadsheet.ingest.tasks import wire_cycle_mark, wire_cycle_pending

    # The inline test queue, like RQ, cannot be searched for a queued round: the cache tells.
    assert not wire_cycle_pending()
    wire_cycle_mark(timezone.now() + timedelta(hours=1))

    call_command("wire_schedule")

    assert wire_cycle_pending()
    assert capsys.readouterr().out == "Wire polling is already scheduled.\n"
    cache.clear()  # the mark outlives its round by a margin only: a dead cycle restarts
    assert not wire_cycle_pending()
