"""Moderators filter the queue by category, sort by the referee's score, see its words marked."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from broadsheet.discussion.models import Comment
from broadsheet.discussion.selectors import moderation_queue
from broadsheet.discussion.selectors import queue as queue_selectors
from broadsheet.discussion.templatetags.discussion_staff import highlight_spans, spans_clean
from broadsheet.discussion.tests.factories import ThreadFactory, moderator, post

pytestmark = pytest.mark.django_db

SEED_TEXT = (
    "This is what a Iranian occupation of Iraq means. Poor Syrians have this to look forward to"
    " if these invading Iranian pigs win.\nPS: under Saddam women had equal rights. So thanks"
    " America for putting women back 1,000 years when it comes to equality. Idiots!"
)


def span_of(text: str, word: str) -> list[int]:
    start = text.index(word)
    return [start, start + len(word)]


def verdict(category: str, score: float | None, spans: object = ()) -> dict:
    """A held verdict as `Verdict.as_dict()` stores it since verdicts name their category."""
    spans = list(spans) if isinstance(spans, list | tuple) else spans
    return {
        "decision": "hold",
        "reasons": [
            {
                "rule": "test",
                "decision": "hold",
                "message": f"Looks like {category}.",
                "score": score,
                "category": category,
                "spans": spans,
            }
        ],
        "scores": {},
        "retry_after_seconds": None,
        "category": category,
        "score": score,
        "spans": spans,
    }


OLD_VERDICT = {
    "decision": "hold",
    "reasons": [{"rule": "words", "decision": "hold", "message": "Suspect words: idiot."}],
    "scores": {"toxic": 0.7},
    "retry_after_seconds": None,
}


@pytest.fixture
def thread(referee):
    # The test decides the verdicts: every comment is held, then given the verdict under test.
    referee.hold()
    return ThreadFactory(title="Soleimani killed in strike")


def held(thread, body: str, given: dict, *, status: str = Comment.Status.PENDING) -> Comment:
    comment = post(thread, body)
    Comment.objects.filter(pk=comment.pk).update(verdict=given, status=status)
    comment.refresh_from_db()
    return comment


@pytest.fixture
def comments(thread):
    return {
        "seed": held(
            thread,
            SEED_TEXT,
            verdict(
                "identity_attack", 0.94, [span_of(SEED_TEXT, "pigs"), span_of(SEED_TEXT, "Idiots")]
            ),
        ),
        "second": held(thread, "Those people are all the same.", verdict("identity_attack", 0.71)),
        "insult": held(thread, "You absolute clown.", verdict("insult", 0.88)),
        "old": held(thread, "Only an idiot would say so.", OLD_VERDICT),
        "refused": held(
            thread,
            "Send them all back.",
            verdict("identity_attack", 0.99),
            status=Comment.Status.REJECTED,
        ),
    }


def signed_in() -> Client:
    client = Client()
    client.force_login(moderator())
    return client


def item_ids(html: str) -> list[int]:
    return [
        int(pk) for pk in re.findall(r'<li class="queue-item[^"]*" id="queue-item-(\d+)"', html)
    ]


def chips(html: str) -> dict[str, str]:
    """Each category chip's text ("Insult 1"), by its data-category."""
    found = re.findall(r'data-category="([a-z_]+)" class="queue__chip">(.*?)</a>', html)
    return {key: re.sub(r"<[^>]+>", "", text) for key, text in found}


# Filtering ------------------------------------------------------------------------------------


def test_a_category_lists_only_its_comments_and_every_chip_counts_the_tab(comments):
    page = moderation_queue(tab="pending", category="identity_attack")

    assert [i.comment.pk for i in page.items] == [comments["seed"].pk, comments["second"].pk]
    assert page.category_counts == {
        "": 4,
        "insult": 1,
        "identity_attack": 2,
        "sexual": 0,
        "threat": 0,
        "spam": 0,
        "other": 0,
    }
    # The tabs count what the filter lists in each of them.
    assert page.counts["pending"] == 2 and page.counts["rejected"] == 1
    assert [i.comment.pk for i in moderation_queue(tab="pending", category="insult").items] == [
        comments["insult"].pk
    ]


def test_the_queue_page_shows_category_chips_with_counts_and_filters(comments):
    response = signed_in().get("/moderation/", {"category": "identity_attack"})

    html = response.content.decode()
    assert response.status_code == 200
    assert item_ids(html) == [comments["seed"].pk, comments["second"].pk]
    assert chips(html) == {
        "all": "All 4",
        "insult": "Insult 1",
        "identity_attack": "Identity attack 2",
        "sexual": "Sexual harassment 0",
        "threat": "Threat 0",
        "spam": "Spam 0",
        "other": "Other 0",
    }
    assert (
        'href="?tab=pending&amp;category=identity_attack" aria-current="true"'
        ' data-category="identity_attack"' in html
    )
    assert 'href="?tab=pending" data-category="all"' in html


@pytest.mark.parametrize("value", ["nonsense", "", "IDENTITY_ATTACK", "category"])
def test_an_unknown_category_is_ignored(comments, value):
    response = signed_in().get("/moderation/", {"category": value})

    html = response.content.decode()
    assert response.status_code == 200
    assert len(item_ids(html)) == 4
    assert 'data-category="all" class="queue__chip"' in html
    assert 'aria-current="true" data-category="all"' in html


def test_the_filter_is_kept_in_tabs_pages_search_and_after_an_action(comments, monkeypatch):
    monkeypatch.setattr(queue_selectors, "QUEUE_PER_PAGE", 1)
    client = signed_in()

    html = client.get(
        "/moderation/", {"category": "identity_attack", "sort": "score", "q": "e"}
    ).content.decode()

    assert item_ids(html) == [comments["seed"].pk]
    assert 'href="?tab=rejected&amp;q=e&amp;category=identity_attack&amp;sort=score"' in html
    assert (
        'href="?tab=pending&amp;page=2&amp;q=e&amp;category=identity_attack&amp;sort=score"'
        ' rel="next"' in html
    )
    search_form = html.split('class="queue__search"')[1].split("</form>")[0]
    assert '<input type="hidden" name="category" value="identity_attack">' in search_form
    assert '<input type="hidden" name="sort" value="score">' in search_form
    # Chips keep the search and the sort, and change only the category.
    assert 'href="?tab=pending&amp;category=insult&amp;q=e&amp;sort=score"' in html

    second = comments["second"]
    acted = client.post(
        "/moderation/act/",
        {
            "act": f"approve:{second.pk}",
            "tab": "pending",
            "page": "2",
            "q": "e",
            "category": "identity_attack",
            "sort": "score",
        },
    )
    assert acted.status_code == 303
    assert acted["Location"] == (
        "/moderation/?tab=pending&page=2&q=e&category=identity_attack&sort=score"
    )
    second.refresh_from_db()
    assert second.status == Comment.Status.APPROVED


def test_an_action_with_an_unknown_category_or_sort_goes_back_without_them(comments):
    seed = comments["seed"]
    acted = signed_in().post(
        "/moderation/act/",
        {"act": f"reject:{seed.pk}", "tab": "pending", "category": "<x>", "sort": "random"},
    )

    assert acted["Location"] == "/moderation/?tab=pending"


# Sorting --------------------------------------------------------------------------------------


def test_sort_by_score_puts_the_surest_first_and_unscored_last(comments):
    html = signed_in().get("/moderation/", {"sort": "score"}).content.decode()

    assert item_ids(html) == [
        comments["seed"].pk,  # 0.94
        comments["insult"].pk,  # 0.88
        comments["second"].pk,  # 0.71
        comments["old"].pk,  # no score
    ]
    assert '<option value="score" selected>Highest score first</option>' in html


def test_sort_newest_and_oldest_and_the_tabs_own_default(comments):
    oldest_first = [
        comments["seed"].pk,
        comments["second"].pk,
        comments["insult"].pk,
        comments["old"].pk,
    ]
    assert [i.comment.pk for i in moderation_queue(tab="pending").items] == oldest_first
    assert moderation_queue(tab="pending").sort == "oldest"
    newest = [i.comment.pk for i in moderation_queue(tab="pending", sort="newest").items]
    assert newest == oldest_first[::-1]
    assert [i.comment.pk for i in moderation_queue(tab="pending", sort="bogus").items] == (
        oldest_first
    )
    # The tab's own order needs no parameter in links.
    assert moderation_queue(tab="pending", sort="oldest").params == {}
    assert moderation_queue(tab="all").sort == "newest"


def test_sort_by_score_is_kept_across_pages(comments, monkeypatch):
    monkeypatch.setattr(queue_selectors, "QUEUE_PER_PAGE", 2)
    client = signed_in()

    first = client.get("/moderation/", {"sort": "score"}).content.decode()
    second = client.get("/moderation/", {"sort": "score", "page": "2"}).content.decode()

    assert item_ids(first) == [comments["seed"].pk, comments["insult"].pk]
    assert 'href="?tab=pending&amp;page=2&amp;sort=score" rel="next"' in first
    assert item_ids(second) == [comments["second"].pk, comments["old"].pk]
    assert 'href="?tab=pending&amp;page=1&amp;sort=score" rel="prev"' in second


# What each item shows -------------------------------------------------------------------------


def test_an_item_shows_its_category_badge_score_and_marked_words(comments):
    html = signed_in().get("/moderation/").content.decode()

    seed = html.split(f'id="queue-item-{comments["seed"].pk}"')[1].split("</li>")[0]
    assert (
        '<span class="queue-item__category queue-item__category--identity_attack">'
        "Identity attack · 0.94</span>" in seed
    )
    assert re.findall(r"<mark>(.*?)</mark>", seed) == ["pigs", "Idiots"]
    assert "invading Iranian <mark>pigs</mark> win.<br>\nPS: under Saddam" in seed
    insult = html.split(f'id="queue-item-{comments["insult"].pk}"')[1].split("</li>")[0]
    assert "Insult · 0.88</span>" in insult
    # No spans: the comment shows as it always did, without marks.
    assert "<mark>" not in insult
    assert "<p>You absolute clown.</p>" in insult


def test_old_verdicts_without_a_category_still_show(comments):
    html = signed_in().get("/moderation/").content.decode()

    old = html.split(f'id="queue-item-{comments["old"].pk}"')[1].split("</li>")[0]
    assert "<p>Only an idiot would say so.</p>" in old
    assert "queue-item__category" not in old
    assert "Suspect words: idiot." in old
    assert "<mark>" not in old


def test_the_highlighted_comment_is_escaped_and_marks_exactly_the_span(thread):
    body = '<script>alert("x")</script> & <b>bold</b> pigs\r\nline two'
    comment = held(
        thread,
        body,
        verdict("threat", 0.5, [span_of(body, "<b>bold</b>"), span_of(body, "pigs")]),
    )

    html = signed_in().get("/moderation/").content.decode()

    item = html.split(f'id="queue-item-{comment.pk}"')[1].split("</li>")[0]
    assert "<script>" not in item and "<b>bold" not in item
    assert (
        '<p class="queue-item__marked">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; '
        "<mark>&lt;b&gt;bold&lt;/b&gt;</mark> <mark>pigs</mark><br>\nline two</p>"
    ) in item


@pytest.mark.parametrize(
    "spans",
    [
        "pigs",
        None,
        {"start": 0},
        [None],
        [[3]],
        [[1, 2, 3]],
        [["0", "4"]],
        [[0.5, 3.5]],
        [[True, 3]],
        [[9, 2]],
        [[10_000, 20_000]],
        [[-50, -1]],
        [[2**70, 2**71]],
    ],
)
def test_invalid_spans_do_not_break_the_page(thread, spans):
    comment = held(thread, "Plain <i>words</i> here.", verdict("spam", 0.3, spans))

    response = signed_in().get("/moderation/", {"category": "spam"})

    html = response.content.decode()
    assert response.status_code == 200
    item = html.split(f'id="queue-item-{comment.pk}"')[1].split("</li>")[0]
    assert "Spam · 0.30</span>" in item
    assert "<mark>" not in item
    assert "words" in item


def test_a_verdict_of_odd_types_still_shows(thread):
    odd = {"category": ["insult"], "score": "high", "spans": "everything", "reasons": "none"}
    comment = held(thread, "Odd verdict.", odd)

    html = signed_in().get("/moderation/", {"tab": "pending", "sort": "score"}).content.decode()

    item = html.split(f'id="queue-item-{comment.pk}"')[1].split("</li>")[0]
    assert "<p>Odd verdict.</p>" in item
    assert "queue-item__category" not in item


# The highlighting filter ----------------------------------------------------------------------


def test_highlight_marks_exactly_the_span_text():
    text = "Idiots! all of them"
    assert highlight_spans(text, [[0, 6]]) == "<mark>Idiots</mark>! all of them"
    assert highlight_spans(text, [[15, 19], [0, 6]]) == (
        "<mark>Idiots</mark>! all of <mark>them</mark>"
    )
    assert highlight_spans(text, []) == "Idiots! all of them"


def test_highlight_escapes_every_piece_and_keeps_line_breaks():
    text = "a<b>\n\"c\" & 'd'\r\ne"
    assert highlight_spans(text, [[1, 4], [6, 9]]) == (
        "a<mark>&lt;b&gt;</mark><br>\n&quot;<mark>c&quot; </mark>&amp; &#x27;d&#x27;<br>\ne"
    )
    # A span across a line break keeps the break inside the mark.
    assert highlight_spans("one\ntwo", [[2, 5]]) == "on<mark>e<br>\nt</mark>wo"


def test_highlight_clips_spans_and_ignores_invalid_or_overlapping_ones():
    text = "0123456789"
    assert spans_clean([[-5, 2], [8, 99]], text) == [(0, 2), (8, 10)]
    assert spans_clean([[2, 6], [4, 8], [6, 7]], text) == [(2, 6), (6, 7)]
    assert spans_clean([[5, 5], [7, 3], [1, "2"], [True, 4], (1,), "12", [None, 3]], text) == []
    assert spans_clean("0,4", text) == [] and spans_clean(None, text) == []
    assert highlight_spans(text, [[2, 6], [4, 8], [99, 100]]) == "01<mark>2345</mark>6789"
    assert highlight_spans(None, [[0, 3]]) == ""
