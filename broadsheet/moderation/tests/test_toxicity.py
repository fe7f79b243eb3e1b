"""The numpy forward pass of toxic-comment-classifier's BiLSTM, from the package's own files."""

from __future__ import annotations

import io
import pickle

import pytest

from broadsheet.moderation import toxicity


def test_package_is_installed_here():
    # CI installs it (Makefile); a missing package must fail the suite, not skip it.
    assert toxicity.available()


def test_dehumanizing_comment_scores_as_the_original_model_did():
    text = (
        "This is what an occupation means. Poor villagers have this to look forward to if "
        "these invading Iranian pigs win. So thanks for nothing. Idiots!"
    )
    [scores] = toxicity.toxicity_scores([text])
    assert set(scores) == set(toxicity.LABELS)
    assert scores["toxic"] > 0.5


@pytest.mark.parametrize(
    "text",
    [
        "The council should publish the full budget before the vote next week.",
        "The airstrike killed the militia commander, the ministry said.",
        "Thank you for the clear explanation of the new rail fares.",
    ],
)
def test_clean_news_comments_score_low(text):
    [scores] = toxicity.toxicity_scores([text])
    assert max(scores.values()) <= 0.12


def test_abuse_scores_high_on_the_right_labels():
    [scores] = toxicity.toxicity_scores(["You are a stupid idiot and I hope you die."])
    assert scores["toxic"] > 0.9
    assert scores["insult"] > 0.8


def test_batch_scores_equal_one_by_one_scores():
    texts = ["A calm remark.", "You stupid idiot.", "", "word " * 300]
    batch = toxicity.toxicity_scores(texts, batch_size=3)
    single = [toxicity.toxicity_scores([t])[0] for t in texts]
    assert batch == single


def test_tokenizer_matches_keras_rules():
    tokenizer = toxicity.model().tokenizer
    assert tokenizer.num_words == 20000
    # keras lowercases, turns its filter characters into spaces and drops unknown words.
    assert tokenizer.ids("The, THE... the!") == [1, 1, 1]
    assert tokenizer.ids("zzzqqqxxyy") == []


def test_sequences_are_pre_padded_and_pre_truncated_to_100():
    model = toxicity.model()
    short, long = model.sequences(["the cat", "the " * 150 + "cat"])
    assert list(short[:-2]) == [0] * 98 and short[-2] == 1
    assert (long[:-1] == 1).all() and long[-1] != 0


def test_tokenizer_unpickler_refuses_other_classes():
    evil = pickle.dumps(print)
    with pytest.raises(pickle.UnpicklingError, match="refusing"):
        toxicity._TokenizerUnpickler(io.BytesIO(evil)).load()


def test_model_is_loaded_once_per_process():
    assert toxicity.model() is toxicity.model()
    assert toxicity.model().load_seconds < 5


def test_missing_package_is_reported_clearly(monkeypatch):
    monkeypatch.setattr(toxicity, "PACKAGE", "no_such_toxicity_package")
    with pytest.raises(toxicity.ToxicityUnavailable, match="pip install --no-deps"):
        toxicity.package_dir()
