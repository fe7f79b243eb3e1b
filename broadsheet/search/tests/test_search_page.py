"""The search page: ranked, highlighted, filtered, paginated results of published articles only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from broadsheet.discussion.tests.factories import post
from broadsheet.discussion.tests.referee import Referee
from broadsheet.ingest.seed_format import read_page_file
from broadsheet.ingest.services import page_import
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.tests.factories import BylineFactory, SectionFactory
from broadsheet.search.selectors import article_search
from broadsheet.search.tests.indexing import committed, published

pytestmark = pytest.mark.django_db

RESULT_LINK = re.compile(r'<h3 class="search-result__headline"><a href="([^"]+)">')


def result_urls(response) -> list[str]:
    assert response.status_code == 200
    return RESULT_LINK.findall(response.content.decode())


def search(client, q: str, **params):
    return client.get("/search/", {"q": q, **params})


def test_searching_soleimani_finds_the_imported_seed_article_first(client, seed_page):
    with committed():
        seed = page_import(parsed=read_page_file(seed_page)).article
    published(headline="Ministers meet on trade", body="Talks went on. Soleimani was not named.")
    published(headline="Regional roundup", dek="After Soleimani: what changes in the region.")

    response = search(client, "Soleimani")

    urls = result_urls(response)
    assert urls[0] == seed.get_absolute_url()
    assert len(urls) == 3
    html = response.content.decode()
    first = html[html.index('<li class="search-result">') :]
    first = first[: first.index("</li>")]
    assert "<mark>Soleimani</mark>" in first
    assert f'href="{seed.get_absolute_url()}#comments">7 responses</a>' in first
    assert "3 results for “Soleimani”" in html


MALFORMED = [
    '"unbalanced quote',
    '"',
    '"""',
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "*",
    "^",
    ":",
    "(",
    ")",
    "-",
    "harbour AND OR NOT NEAR * ^ : ( ) -",
    "NEAR(harbour ferry, 2)",
    "headline:harbour",
    "harb*",
    "^harbour",
    "((((harbour",
    "harbour -",
    "OR OR harbour OR",
    "' OR 1=1 --",
    "%_\\",
    "harbour\x00ferry",
    "\x00",
    "!!!?!...;,",
    "x" * 5000,
    "harbour " * 800,
    "🚢 مرفأ 港口 harbour",
]


@pytest.mark.parametrize("q", MALFORMED)
def test_malformed_queries_answer_with_a_results_page(client, q):
    published(headline="Harbour ferry returns")

    response = search(client, q)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Search</h1>" in html
    assert 'class="search-results"' in html
    assert "\x00" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"section": "no-such-section"},
        {"section": "\x00"},
        {"date_from": "yesterday", "date_to": "31/02/2020"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"date_from": "2020-01-01\x00"},
        {"sort": "drop table"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "1" + "0" * 40},
    ],
)
def test_malformed_filters_are_reported_and_the_search_still_runs(client, params):
    article = published(headline="Harbour ferry returns")

    response = search(client, "harbour", **params)

    assert result_urls(response) == [article.get_absolute_url()]


def test_the_page_is_never_indexed_by_search_engines(client):
    response = search(client, "harbour")

    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    # The page's own form is the one search box on it.
    assert 'class="site-search"' not in html
    assert html.count('name="q"') == 1


def test_an_empty_search_asks_for_words(client):
    html = client.get("/search/").content.decode()

    assert "Type a few words to search the articles." in html
    assert 'class="search-result"' not in html


def test_only_exclusions_or_punctuation_ask_for_a_word(client):
    published(headline="Harbour ferry returns")

    html = search(client, "-ferry").content.decode()

    assert "There are no words to look for in “-ferry”." in html
    assert 'class="search-result"' not in html


def test_unpublished_scheduled_and_deleted_articles_are_never_found(client):
    live = published(headline="Harbour lights, the live one")
    draft = published(headline="Harbour lights draft", status="draft", published_at=None)
    later = published(
        headline="Harbour lights tomorrow",
        status="scheduled",
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    gone = published(headline="Harbour lights withdrawn")
    with committed():
        gone.delete()

    assert result_urls(search(client, "harbour lights")) == [live.get_absolute_url()]
    assert draft.pk and later.pk


def test_matches_are_highlighted_and_everything_else_escaped(client):
    article = published(
        headline="<script>alert(1)</script> Harbour & <b>ferry</b>",
        dek="The <i>ferry</i> is back",
        body="Tonight the ferry <img src=x onerror=alert(2)> sails.",
    )

    html = search(client, "ferry").content.decode()

    assert result_urls(search(client, "ferry")) == [article.get_absolute_url()]
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Harbour &amp; &lt;b&gt;<mark>ferry</mark>" in html
    assert "The &lt;i&gt;<mark>ferry</mark>&lt;/i&gt; is back" in html
    assert "<img" not in html


def test_a_body_match_shows_a_snippet_around_it(client):
    published(
        headline="Council meeting",
        dek="",
        body="The council met for hours. In the end the lighthouse keeper spoke. Nobody left.",
    )

    html = search(client, "lighthouse").content.decode()

    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', html, re.S)
    assert snippet is not None
    assert "<mark>lighthouse</mark> keeper" in snippet.group(1)


def test_headline_ranks_above_dek_above_body(client):
    body = published(headline="Weekly news", dek="Other things", body="Then a cormorant landed.")
    dek = published(headline="Birdlife", dek="A cormorant on the pier", body="It stayed.")
    headline = published(headline="Cormorant seen at dawn", dek="Birds", body="It flew away.")

    urls = result_urls(search(client, "cormorant"))

    assert urls == [a.get_absolute_url() for a in (headline, dek, body)]


def test_newest_first_orders_by_publication(client):
    now = timezone.now()
    old = published(headline="Cormorant cormorant cormorant", published_at=now - dt.timedelta(2))
    new = published(headline="A cormorant", published_at=now - dt.timedelta(hours=1))

    assert result_urls(search(client, "cormorant")) == [
        old.get_absolute_url(),
        new.get_absolute_url(),
    ]
    assert result_urls(search(client, "cormorant", sort="newest")) == [
        new.get_absolute_url(),
        old.get_absolute_url(),
    ]


def test_phrases_exclusions_and_or_work_the_same_on_every_database(client):
    both = published(headline="Night ferry to the island")
    ferry = published(headline="The ferry at night is late")
    bus = published(headline="Night bus to the island")

    def found(q):
        return set(result_urls(search(client, q)))

    assert found('"night ferry"') == {both.get_absolute_url()}
    assert found("night -ferry") == {bus.get_absolute_url()}
    assert found("island ferry OR bus") == {both.get_absolute_url(), bus.get_absolute_url()}
    assert found("ferry night") == {both.get_absolute_url(), ferry.get_absolute_url()}
    # Stemming: "ferries" finds "ferry" on both backends.
    assert found("ferries") == {both.get_absolute_url(), ferry.get_absolute_url()}


def test_section_and_date_filters_narrow_the_results(client):
    world = SectionFactory(name="World", slug="world")
    now = timezone.now()
    recent_world = published(headline="Harbour strike", section=world)
    old_world = published(
        headline="Harbour strike ends", section=world, published_at=now - dt.timedelta(days=30)
    )
    elsewhere = published(headline="Harbour strike at home")

    assert set(result_urls(search(client, "harbour strike", section="world"))) == {
        recent_world.get_absolute_url(),
        old_world.get_absolute_url(),
    }
    day = (now - dt.timedelta(days=30)).date().isoformat()
    assert result_urls(search(client, "harbour", date_from=day, date_to=day)) == [
        old_world.get_absolute_url()
    ]
    since = (now - dt.timedelta(days=2)).date().isoformat()
    assert set(result_urls(search(client, "harbour", date_from=since))) == {
        recent_world.get_absolute_url(),
        elsewhere.get_absolute_url(),
    }
    # A range typed backwards means the same days.
    today = now.date().isoformat()
    assert set(result_urls(search(client, "harbour", date_from=today, date_to=day))) == {
        recent_world.get_absolute_url(),
        old_world.get_absolute_url(),
        elsewhere.get_absolute_url(),
    }
    html = search(client, "harbour", section="nowhere").content.decode()
    assert "There is no such section; searching them all." in html


def test_results_are_paginated_and_the_pager_keeps_the_search(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    SectionFactory(name="World", slug="world")
    for i in range(5):
        published(headline=f"Harbour report {i}")

    first = search(client, "harbour").content.decode()
    assert "5 results for “harbour”, 1–2 shown" in first
    assert 'href="?q=harbour&amp;page=2" rel="next"' not in first  # rel comes first
    assert '<a rel="next" href="?q=harbour&amp;page=2">' in first

    last = search(client, "harbour", page="3")
    assert len(result_urls(last)) == 1
    assert '<a rel="prev" href="?q=harbour&amp;page=2">' in last.content.decode()
    # Past the end is the last page, not an error.
    assert len(result_urls(search(client, "harbour", page="99"))) == 1


def test_wordpress_search_urls_redirect_to_the_search_page(client):
    response = client.get("/", {"s": "harbour ferry"})

    assert response.status_code == 301
    assert response["Location"] == "/search/?q=harbour+ferry"
    assert client.get("/").status_code == 200


def test_every_page_has_a_search_box_in_its_header(client):
    html = client.get("/").content.decode()

    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert '<form class="site-search" role="search" method="get" action="/search/">' in header
    assert 'name="q"' in header


# Section navigation, the ranked page with its total, marks, articles (with comment counts),
# bylines, credits, the section filter's menu.
SEARCH_PAGE_QUERIES = 7


@pytest.mark.parametrize("n", [3, 30])
def test_the_results_page_costs_the_same_whatever_it_finds(
    client, settings, django_assert_max_num_queries, n
):
    Referee(settings).allow()
    settings.ARTICLES_PER_PAGE = 20
    section = SectionFactory(name="World", slug="world")
    for i in range(n):
        article = published(headline=f"Harbour report {i}", section=section)
        BylineFactory(article=article)
        for j in range(i % 3):
            post(article_thread(article), f"Comment {j} here.", email=f"r{j}@example.org")

    with django_assert_max_num_queries(SEARCH_PAGE_QUERIES):
        response = search(client, "harbour")

    html = response.content.decode()
    assert len(result_urls(response)) == min(n, 20)
    assert html.count('class="byline__name"') == min(n, 20)
    assert ">2 responses</a>" in html


def test_a_very_long_search_is_cut_short_and_says_so(client):
    published(headline="Harbour ferry returns")

    html = search(client, "harbour " + "x" * 5000).content.decode()

    assert "Your search was long: only its first words were used." in html
    assert 'value="harbour ' + "x" * 492 + '"' in html


SYNTAX = st.sampled_from(
    ['"', "-", "*", "^", ":", "(", ")", "AND", "OR", "NOT", "NEAR", "\x00", "'", "\\", "!!", "&"]
)


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(typed=st.lists(st.one_of(SYNTAX, st.text(max_size=10)), max_size=12).map(" ".join))
def test_no_input_is_a_database_error_on_either_backend(typed):
    if not Article.objects.exists():
        published(headline="Harbour ferry returns", body="And NOT near the pier (again).")

    results = article_search(text=typed)

    assert results.total >= 0
