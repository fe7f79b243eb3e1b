"""The wire desk in the admin: feeds with their errors, the incoming wire, merging a group."""

from __future__ import annotations

import pytest

from broadsheet.ingest.models import WireFeed, WireGroup, WireItem
from broadsheet.ingest.tests.wire_server import Route, start
from broadsheet.ingest.wire import wire_feed_create, wire_poll_due
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    state, httpd = start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def polled(server):
    for path, name, credit in [
        ("/a.rss", "agency_a.rss", "AGENCY A"),
        ("/b.json", "agency_b.ninjs.json", "AGENCY B"),
        ("/c.atom", "agency_c.atom", "AGENCY C"),
    ]:
        source = SourceFactory(name=f"{credit} wire", credit_name=credit)
        wire_feed_create(source=source, url=server.serve_file(path, name))
    server.routes["/down"] = Route(status=502, body=b"bad gateway")
    wire_feed_create(source=SourceFactory(credit_name="AGENCY X"), url=server.url("/down"))
    wire_poll_due()
    return server


def _pair() -> WireGroup:
    return next(g for g in WireGroup.objects.all() if g.items.count() == 2)


def test_feed_list_shows_the_last_error_and_failures(admin_client, polled):
    response = admin_client.get("/admin/ingest/wirefeed/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "HTTP 502 Bad Gateway" in page
    assert "AGENCY X" in page


def test_staff_add_a_feed_through_the_admin(admin_client):
    source = SourceFactory(credit_name="AGENCY Z")

    response = admin_client.post(
        "/admin/ingest/wirefeed/add/",
        {
            "source": source.pk,
            "url": "https://agency-z.example/feed.xml",
            "format": "auto",
            "poll_minutes": "15",
            "active": "on",
        },
    )

    assert response.status_code == 302
    feed = WireFeed.objects.get(source=source)
    assert (feed.poll_minutes, feed.next_poll_at) == (15, None)


def test_incoming_wire_lists_items_with_credit_link_embargo_and_draft(admin_client, polled):
    response = admin_client.get("/admin/ingest/wireitem/")

    page = response.content.decode()
    assert "Incoming wire" in page
    assert "Four dock workers hurt as crane falls at Northport terminal" in page
    assert "AGENCY B" in page
    assert 'href="https://agency-b.example/stories/northport-crane"' in page
    item = WireItem.objects.get(guid="urn:agency-b:2026:northport-crane-collapse")
    assert f"/admin/newsroom/article/{item.article_id}/change/" in page


def test_merge_page_shows_paragraphs_side_by_side_with_near_duplicates_flagged(
    admin_client, polled
):
    group = _pair()

    page = admin_client.get(f"/admin/ingest/wiregroup/{group.pk}/merge/").content.decode()

    assert page.count('name="paragraph"') == 7  # four paragraphs from A, three from B
    assert "≈ AGENCY B ¶2" in page
    assert "≈ AGENCY A ¶3" in page
    assert "near-duplicate" in page
    assert "Emergency crews work beside the collapsed crane" in page
    assert "Emergency crews work next to the collapsed crane" in page


def test_merging_from_the_admin_makes_one_draft_in_the_chosen_order(admin_client, polled):
    group = _pair()
    a, b = (group.items.get(feed__source__credit_name=c) for c in ("AGENCY A", "AGENCY B"))

    response = admin_client.post(
        f"/admin/ingest/wiregroup/{group.pk}/merge/",
        {
            "headline": "Crane collapse injures four at Northport",
            "paragraph": [f"{a.pk}:0", f"{b.pk}:2", f"{a.pk}:1"],
            f"order-{a.pk}-0": "1",
            f"order-{a.pk}-1": "2",
            f"order-{b.pk}-2": "3",
        },
    )

    assert response.status_code == 302
    group.refresh_from_db()
    article = Article.objects.get(pk=group.merged_into_id)
    assert response["Location"] == f"/admin/newsroom/article/{article.pk}/change/"
    assert article.headline == "Crane collapse injures four at Northport"
    assert article.credit_line == "AGENCY A/AGENCY B"
    assert article.body.index("two berths") < article.body.index("vessels due")
    assert article.lead_image.captions_near_duplicate


def test_merging_nothing_keeps_the_page_with_the_error(admin_client, polled):
    group = _pair()

    response = admin_client.post(
        f"/admin/ingest/wiregroup/{group.pk}/merge/", {"headline": "My headline"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose at least one paragraph." in page
    assert 'value="My headline"' in page
    group.refresh_from_db()
    assert group.merged_into_id is None


def test_an_editor_can_merge_and_a_moderator_cannot(client, polled):
    from broadsheet.accounts.roles import EDITORS, MODERATORS
    from broadsheet.accounts.tests.factories import staff_user

    group = _pair()
    url = f"/admin/ingest/wiregroup/{group.pk}/merge/"
    item = group.items.order_by("id").first()
    data = {"paragraph": [f"{item.pk}:0"]}

    client.force_login(staff_user(MODERATORS))
    assert client.post(url, data).status_code == 403

    client.force_login(staff_user(EDITORS))
    assert client.get("/admin/ingest/wirefeed/").status_code == 200
    assert client.post(url, data).status_code == 302
    group.refresh_from_db()
    assert group.merged_into_id is not None
