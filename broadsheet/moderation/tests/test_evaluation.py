"""The default configuration measured on the labelled set and on the seed page's comments."""

from __future__ import annotations

import json

import pytest

from broadsheet.moderation.evaluation import LABELLED_SET, evaluate, labelled_rows
from broadsheet.moderation.judge import judge_many
from broadsheet.moderation.verdicts import Decision, Submission

pytestmark = pytest.mark.django_db

LABELS = {"civil", "critical", "insult", "identity_attack", "harassment", "threat", "spam"}
WAR_WORDS = ("terrorist", "killing", "militia", "airstrike", "bombing", "executed")


def test_labelled_set_is_large_and_well_formed():
    rows = labelled_rows()
    assert len(rows) >= 200
    assert {r["label"] for r in rows} == LABELS
    assert {r["expected"] for r in rows} <= {"allow", "hold", "reject"}
    assert all((r["expected"] == "allow") == (r["label"] in {"civil", "critical"}) for r in rows)
    critical = " ".join(r["text"].lower() for r in rows if r["label"] == "critical")
    assert all(word in critical for word in WAR_WORDS)
    assert len({r["text"] for r in rows}) == len(rows)
    json.loads(LABELLED_SET.read_text().splitlines()[0])


def test_default_configuration_meets_minimum_precision_and_recall():
    report = evaluate(labelled_rows())
    overall = report["overall"]
    assert overall["precision"] >= 0.95, report["mistakes"]
    assert overall["recall"] >= 0.80, report["mistakes"]
    labels = report["per_label"]
    assert labels["civil"]["allowed_rate"] >= 0.98
    assert labels["critical"]["allowed_rate"] >= 0.93
    for label in ("insult", "threat", "harassment"):
        assert labels[label]["recall"] >= 0.8, label
    assert labels["identity_attack"]["recall"] >= 0.7


def test_critical_comments_with_war_reporting_words_pass():
    rows = [
        r
        for r in labelled_rows()
        if r["label"] == "critical" and any(w in r["text"].lower() for w in WAR_WORDS)
    ]
    verdicts = judge_many([Submission(text=r["text"], dry_run=True) for r in rows])
    assert len(rows) >= 10
    assert [v.decision for v in verdicts] == [Decision.ALLOW] * len(rows)


def seed_comments(seed_page):
    from broadsheet.ingest.seed_format import read_page_file

    page = read_page_file(seed_page)
    return [c for top in page.comments for c in top.walk()]


def test_seed_comments_dehumanizing_one_is_held_and_mild_sarcasm_published(seed_page):
    comments = seed_comments(seed_page)
    assert len(comments) == 7
    verdicts = judge_many(
        [Submission(text=c.body, author_name=c.author or "", dry_run=True) for c in comments]
    )
    by_text = {c.body: v for c, v in zip(comments, verdicts, strict=True)}
    [pigs] = [v for text, v in by_text.items() if "invading Iranian pigs" in text]
    [obama] = [v for text, v in by_text.items() if "humiliating Obama" in text]
    assert pigs.decision == Decision.HOLD
    assert pigs.category == "identity_attack"
    assert pigs.scores["toxic"] > 0.5
    assert obama.decision == Decision.ALLOW
    # Name-calling of a public figure inside a long argument is held, as before the model.
    [jackass] = [v for text, v in by_text.items() if "so the jackass can stay in power" in text]
    assert jackass.decision == Decision.HOLD and jackass.category == "insult"
    published = [v for v in verdicts if v.decision == Decision.ALLOW]
    assert len(published) == 5
    # Every comment gets a verdict with its scores.
    assert all("toxic" in v.scores for v in verdicts)
