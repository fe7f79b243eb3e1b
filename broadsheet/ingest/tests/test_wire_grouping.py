"""Grouping agencies' versions of one story: precision on the held-out labelled pairs."""

from __future__ import annotations

from bench.wire_grouping import load_pairs, measure, scored


def test_threshold_setting_groups_held_out_pairs_precisely(settings):
    pairs = load_pairs()
    assert len(pairs) >= 60
    holdout = [p for p in pairs if p["split"] == "holdout"]
    assert {p["same"] for p in holdout} == {True, False}

    result = measure(scored(holdout), settings.WIRE_GROUP_THRESHOLD)

    assert result["precision"] >= 0.9, result
    assert result["recall"] >= 0.8, result


def test_pairs_are_split_by_topic_so_no_text_is_in_both_halves():
    pairs = load_pairs()
    texts = {"tune": set(), "holdout": set()}
    for pair in pairs:
        texts[pair["split"]].update(pair[side]["headline"] for side in ("a", "b"))
    assert not texts["tune"] & texts["holdout"]
