"""Finding an article's topics in its text: the model's names, merged, cleaned, ranked, listed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from broadsheet.core.text import render_article_markdown
from broadsheet.search.topics import extract
from broadsheet.search.topics.matching import EditorsList, ListedTopic, name_clean, name_key
from broadsheet.search.topics.suggest import (
    BODY_WEIGHT,
    DEK_WEIGHT,
    HEADLINE_WEIGHT,
    Segment,
    html_blocks,
    plausible,
    topics_suggest,
)

NO_LIST = EditorsList([])
QUDS = ListedTopic(
    id=7, name="Quds Force", kind="organisation", spellings=("Quds Force", "Qods Force")
)


def found(*segments: Segment, editors_list: EditorsList = NO_LIST, limit: int = 12) -> list:
    suggestions = topics_suggest(segments, editors_list=editors_list, limit=limit)
    return [(s.name, s.kind, s.mentions, s.origin) for s in suggestions]


def body(text: str) -> Segment:
    return Segment(text, BODY_WEIGHT)


def test_a_surname_alone_counts_for_the_full_name_in_the_same_text():
    text = (
        "Angela Merkel met Emmanuel Macron in Paris on Tuesday. "
        "Merkel said the talks went well. Macron agreed."
    )

    assert found(body(text)) == [
        ("Angela Merkel", "person", 2, "model"),
        ("Emmanuel Macron", "person", 2, "model"),
        ("Paris", "place", 1, "model"),
    ]


def test_a_leading_the_and_extra_spaces_are_not_part_of_a_name():
    text = "Emmanuel Macron spoke to the  United   Nations in New York. The Red Cross was there."

    assert [name for name, *_ in found(body(text))] == [
        "Emmanuel Macron",
        "United Nations",
        "New York",
        "Red Cross",
    ]
    assert name_clean("the  Quds\n Force") == "Quds Force"
    assert name_key("The QUDS force") == name_key("Quds Force") == "quds force"


def test_nationalities_dates_and_numbers_are_not_topics():
    text = "Iranian and Syrian officials met 300 refugees on Thursday in Homs."

    assert found(body(text)) == [("Homs", "place", 1, "model")]


def test_lowercase_words_and_user_handles_are_not_topics():
    text = "ahorvath wrote that @nagy_michael2 and 5thDrawer were right about iran."

    assert found(body(text)) == []


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("ahorv", False),
        ("iran", False),
        ("@someone", False),
        ("nagy_michael2", False),
        ("5thDrawer", False),
        ("0.3C", False),
        ("#Syria", False),
        ("http://example.com/Syria", False),
        ("x", False),
        ("Latakia", True),
        ("al-Assad", True),
        ("G7", True),
        ("U.S.", True),
        ("Free Syrian Army", True),
    ],
)
def test_names_that_look_like_junk_are_skipped(name, kept):
    assert plausible(name) is kept


def test_names_in_the_headline_and_dek_count_extra():
    headline = Segment("Beirut sends help to flooded Aleppo", HEADLINE_WEIGHT)
    dek = Segment("The floods hit Aleppo overnight.", DEK_WEIGHT)
    text = (
        "Rescuers from Damascus reached the city. Damascus sent more teams, and so did Beirut. "
        "Damascus said more would follow."
    )

    # Beirut: named twice, once in the headline; Damascus: three times, in the body only.
    assert found(headline, dek, body(text)) == [
        ("Beirut", "place", 2, "model"),
        ("Damascus", "place", 3, "model"),
    ]


def test_only_the_top_names_are_kept_but_every_listed_one_is():
    text = (
        "Ministers from France, Germany, Italy and Spain met in Brussels. "
        "The Qods Force was not discussed."
    )

    assert found(body(text), limit=3) == [
        ("France", "place", 1, "model"),
        ("Germany", "place", 1, "model"),
        ("Italy", "place", 1, "model"),
    ]
    assert found(body(text), editors_list=EditorsList([QUDS]), limit=3) == [
        ("France", "place", 1, "model"),
        ("Germany", "place", 1, "model"),
        ("Quds Force", "organisation", 1, "list"),
    ]
    assert [name for name, *_ in found(body(text), editors_list=EditorsList([QUDS]), limit=0)] == [
        "Quds Force"
    ]


def test_the_editors_list_wins_over_the_models_kind_and_spelling():
    text = "Qods Force commanders met in Damascus. The Qods Force answers to Tehran."

    assert found(body(text))[0] == ("Qods Force", "person", 1, "model")
    assert found(body(text), editors_list=EditorsList([QUDS])) == [
        ("Quds Force", "organisation", 2, "list"),
        ("Damascus", "place", 1, "model"),
        ("Tehran", "place", 1, "model"),
    ]


def test_listed_names_match_any_case_but_only_whole_words():
    homs = ListedTopic(id=8, name="Homs", kind="place", spellings=("Homs",))
    text = "HOMS was quiet on Friday, but the Homsville market stayed shut."

    suggestions = topics_suggest([body(text)], editors_list=EditorsList([homs]), limit=12)

    assert [(s.name, s.kind, s.mentions, s.topic_id) for s in suggestions if s.topic_id] == [
        ("Homs", "place", 1, 8)
    ]


def test_short_capitalised_aliases_match_as_acronyms_only():
    usa = ListedTopic(id=9, name="United States", kind="place", spellings=("United States", "US"))
    text = "The US and the UK signed a pact. Tell us what you think."

    assert found(body(text), editors_list=EditorsList([usa])) == [
        ("United States", "place", 1, "list"),
        ("UK", "place", 1, "model"),
    ]


def test_the_body_is_read_as_its_paragraphs_without_markup_or_link_targets():
    html = render_article_markdown(
        "## Flooding in the north\n\n"
        "Read [the Reuters report](https://example.com/Latakia) &amp; more.\n\n"
        "- First item\n- Second item"
    )

    assert html_blocks(html) == [
        "Flooding in the north",
        "Read the Reuters report & more.",
        "First item",
        "Second item",
    ]


def test_the_model_is_loaded_once_for_all_threads_with_only_its_entity_recogniser(monkeypatch):
    package = extract.model_package()
    real_load = package.load
    loads = []

    def load(**overrides):
        loads.append(overrides)
        return real_load(**overrides)

    monkeypatch.setattr(package, "load", load)
    monkeypatch.setattr(extract, "_nlp", None)

    with ThreadPoolExecutor(max_workers=4) as pool:
        pipelines = list(pool.map(lambda _: extract.nlp(), range(8)))

    assert len({id(p) for p in pipelines}) == 1
    assert loads == [{"exclude": list(extract.UNUSED_PIPES)}]
    assert pipelines[0].pipe_names == ["ner"]
