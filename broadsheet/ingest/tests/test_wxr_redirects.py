"""An imported post's WordPress addresses answer with a 301 to its article."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.ingest.models import LegacyURL
from broadsheet.ingest.wordpress.importer import wxr_import
from broadsheet.newsroom.models import Article

pytestmark = pytest.mark.django_db

WXR = Path(__file__).parent / "data" / "wordpress6.xml"


@pytest.fixture
def imported():
    wxr_import(path=WXR)
    return {a.import_key.rsplit(":", 1)[1]: a for a in Article.objects.all()}


def test_the_old_permalink_redirects_permanently(client, imported):
    response = client.get("/2024/05/03/caf%C3%A9-reopens/")

    assert response.status_code == 301
    assert response["Location"] == "/2024/05/03/cafe-reopens/"
    assert client.get(response["Location"]).status_code == 200


def test_question_mark_p_redirects_from_the_front_page(client, imported):
    response = client.get("/", {"p": "14"})

    assert response.status_code == 301
    assert response["Location"] == imported["14"].get_absolute_url()
    assert client.head("/?p=12").status_code == 301


def test_an_address_equal_to_broadsheets_is_not_stored(imported):
    paths = set(LegacyURL.objects.values_list("path", flat=True))

    assert "/2024/05/06/council-approves-new-bridge/" not in paths  # the same as Broadsheet's
    assert {"/2024/05/03/café-reopens/", "/?p=12", "/?p=14", "/?p=17"} <= paths


def test_a_draft_does_not_redirect(client, imported):
    assert client.get("/?p=15").status_code == 200  # the front page, nothing revealed


def test_only_get_and_head_and_only_what_nothing_answered(client, imported):
    assert client.post("/2024/05/03/caf%C3%A9-reopens/").status_code != 301
    assert client.get("/", {"p": "999"}).status_code == 200
    assert client.get("/no/such/page/").status_code == 404


def test_requests_that_are_not_404s_cost_no_query(client, imported, django_assert_num_queries):
    url = imported["12"].get_absolute_url()
    client.get(url)  # warm caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not any("ingest_legacyurl" in q["sql"] for q in queries.captured_queries)
