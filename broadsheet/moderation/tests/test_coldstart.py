"""The shipped cold-start model: built from the corpus as it is, loaded safely, explainable."""

from __future__ import annotations

import shutil

import pytest

from broadsheet.moderation import corpus, toxicity
from broadsheet.moderation.coldstart import HEADS, build
from broadsheet.moderation.coldstart import model as coldstart_model
from broadsheet.moderation.judge import judge, judge_many
from broadsheet.moderation.normalize import normalize, normalized
from broadsheet.moderation.verdicts import Decision, Submission


def test_the_shipped_model_was_built_from_the_corpus_as_it_is_now():
    # Fails when a corpus file changed without `broadsheet coldstart_build`.
    assert build.is_current()


def test_training_never_reads_the_held_out_part(monkeypatch):
    asked = []

    class Asked(Exception):
        pass

    def rows(splits=corpus.SPLITS):
        asked.append(set(splits))
        raise Asked  # what was asked is all this test needs: stop before any training

    monkeypatch.setattr(corpus, "rows", rows)
    with pytest.raises(Asked):
        build.train()
    assert asked == [{"train", "dev"}]


def test_a_tampered_model_file_is_refused_before_it_is_read(tmp_path):
    model_file = tmp_path / "model.npz"
    shutil.copy(coldstart_model.MODEL_FILE, model_file)
    shutil.copy(coldstart_model.MANIFEST_FILE, tmp_path / "model.json")
    assert coldstart_model.load(model_file, tmp_path / "model.json").heads == HEADS
    blob = bytearray(model_file.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    model_file.write_bytes(bytes(blob))
    with pytest.raises(coldstart_model.ColdStartUnavailable, match="does not match model.json"):
        coldstart_model.load(model_file, tmp_path / "model.json")


def test_probabilities_are_calibrated_numbers_for_every_head():
    text = "Thanks for the clear explanation of the council budget."
    [probabilities] = coldstart_model.model().probabilities(
        [normalize(text)], toxicity.toxicity_scores([text])
    )
    assert set(probabilities) == set(HEADS)
    assert all(0.0 <= p <= 1.0 for p in probabilities.values())
    assert max(probabilities.values()) < 0.3


def test_explain_points_at_the_insulting_words_in_the_original_text():
    text = "Honestly you are a pathetic little w e a s e l and everyone here knows it."
    weighed = coldstart_model.model().explain(normalized(text), "insult")
    words = [text[w.start : w.end] for w in weighed]
    assert "pathetic" in words
    assert "Honestly" not in words


# Plain comments of the kind a news site gets all day, written for this test (not in the corpus).
PLAIN = [
    "Good read, thanks.",
    "Any idea what time the road reopens tomorrow?",
    "The photo in the second paragraph is of the old quay, not the new one.",
    "We went to the craft fair on Saturday and it was lovely.",
    "Second that.",
    "Does the new timetable apply on bank holidays?",
    "My dad played for the reserves in the seventies, great memories.",
    "What a match. Still can't believe the late equaliser.",
    "The museum's free on Thursdays if anyone is interested.",
    "Sorry, I meant the 14 bus, not the 41.",
    "I had no idea the bridge was that old.",
    "Love the new crossword layout.",
    "Can someone explain how the rebate is calculated?",
    "Fair point, I hadn't thought about the cost of parking.",
    "The cat next door has adopted us. Not complaining.",
    "Brilliant piece of reporting on the hospital waiting lists.",
    "Rain again this weekend, of course.",
    "Which charity runs the food bank on Mill Lane?",
    "Well played to both teams, a proper contest.",
    "I'm not convinced the figures add up, but it's worth discussing.",
]


@pytest.mark.django_db
def test_plain_comments_a_new_site_receives_are_published():
    verdicts = judge_many([Submission(text=t, dry_run=True) for t in PLAIN])
    held = {t: v.reasons for t, v in zip(PLAIN, verdicts, strict=True) if v.decision != "allow"}
    assert held == {}


@pytest.mark.django_db
def test_a_hold_names_its_category_score_and_words():
    text = "Anyone who votes for that lot is a brainless c l o w n, end of."
    verdict = judge(Submission(text=text, dry_run=True))
    assert verdict.decision == Decision.HOLD
    assert verdict.category == "insult"
    assert 0.0 < verdict.score <= 1.0
    assert "c l o w n" in [text[start:end] for start, end in verdict.spans]
    stored = verdict.as_dict()
    assert stored["category"] == "insult"
    assert [text[a:b] for a, b in stored["spans"]] == [text[a:b] for a, b in verdict.spans]


def test_one_text_is_scored_exactly_as_in_a_batch():
    texts = [r["text"] for r in corpus.rows(["dev"])[:60]]
    batch = toxicity.model().scores(texts)
    single = [toxicity.model().scores([t])[0] for t in texts]
    assert single == batch


def test_the_split_is_stable_and_variants_stay_with_their_source():
    # Fixed by the seed: these never move, whatever rows are added later.
    assert [corpus.split_of(g) for g in ("world-0001", "sport-0100", "local-0042")] == [
        "train",
        "dev",
        "heldout",
    ]
    rows = corpus.rows()
    by_id = {r["id"]: r for r in rows}
    for row in rows:
        if row.get("generated"):
            assert row["split"] == by_id[row["group"]]["split"]
    written = [r for r in rows if not r.get("generated")]
    shares = {s: sum(r["split"] == s for r in written) / len(written) for s in corpus.SPLITS}
    assert 0.55 < shares["train"] < 0.65 and 0.15 < shares["heldout"] < 0.25
    assert len({r["id"] for r in rows}) == len(rows)
    assert len(written) >= 3000


def test_single_text_counts_equal_the_batch_counts_on_the_whole_corpus():
    from broadsheet.moderation import corpus
    from broadsheet.moderation.coldstart import features
    from broadsheet.moderation.normalize import normalize

    texts = [normalize(row["text"]) for row in corpus.rows(list(corpus.SPLITS))]
    batch = features.counts(texts)
    for i, text in enumerate(texts):
        columns, counts = features.single_counts(text)
        row = batch[i, : features.WORD_FEATURES + features.CHAR_FEATURES]
        assert columns.tolist() == row.indices.tolist(), text
        assert counts.tolist() == row.data.tolist(), text


def test_one_comment_scores_the_same_alone_as_in_a_batch():
    scorer = coldstart_model.model()
    texts = ["One.", "You are a pathetic little weasel.", "Buy cheap watches at spam dot biz"]
    batch = scorer.probabilities(texts, [None] * 3)
    alone = [scorer.probabilities([t], [None])[0] for t in texts]
    for together, single in zip(batch, alone, strict=True):
        assert together == pytest.approx(single, abs=2e-4)


def test_a_missing_model_is_reported_by_the_system_check(tmp_path, monkeypatch):
    from broadsheet.moderation.checks import check_rules

    real_load = coldstart_model.load
    monkeypatch.setattr(coldstart_model, "load", lambda: real_load(tmp_path / "missing.npz"))
    monkeypatch.setattr(coldstart_model, "_loaded", {})
    [error] = [e for e in check_rules() if e.id == "moderation.E007"]
    assert "missing.npz is missing: run broadsheet coldstart_build" in error.msg
