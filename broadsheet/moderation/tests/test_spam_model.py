"""The site's own spam model: trained from decisions, stored signed, used once it has enough."""

from __future__ import annotations

import pytest

from broadsheet.moderation import spam
from broadsheet.moderation.judge import judge
from broadsheet.moderation.models import SpamModel, TrainingExample
from broadsheet.moderation.services import spam_model_train, training_example_record
from broadsheet.moderation.tasks import spam_model_retrain
from broadsheet.moderation.tests.factories import submission
from broadsheet.moderation.verdicts import Decision

pytestmark = pytest.mark.django_db

HAM = [
    "The council's decision on the library hours is welcome news for students.",
    "I disagree with the columnist; the figures for rail use tell another story.",
    "Thanks for covering the flood relief effort, the volunteers deserve credit.",
    "Does anyone know whether the consultation is open to residents outside the city?",
    "The minister's answer on hospital waiting lists was evasive and unconvincing.",
    "Good to see the harbour restoration finally finished after all these years.",
    "The ceasefire looks fragile; both sides have broken promises before.",
    "My street lost power for six hours during the storm on Tuesday night.",
    "A balanced piece, though I would have liked more voices from the farmers.",
    "The school's new timetable has made the morning traffic much worse.",
]
SPAM = [
    "Earn 500 dollars daily from home, visit quick-cash dot biz today",
    "Cheap pills without prescription, fast shipping, order at pharma shop now",
    "Win big at the best online slots, claim your free spins bonus today",
    "Buy cheap followers and likes, instant delivery, message us now",
    "Hot singles near you are waiting, sign up free tonight",
    "Make money fast with this crypto robot, guaranteed daily profits",
    "Get your loan approved in minutes, no credit check, apply today",
    "Replica designer bags at wholesale prices, free shipping worldwide",
    "Lose weight fast with this miracle pill, order now and save",
    "Essay writing service, cheap prices, plagiarism free, order today",
]


def decisions(n_each: int = 3):
    """Moderator decisions, both kinds: each text repeated with small variations."""
    pairs = []
    for i in range(n_each):
        pairs += [(f"{t} ({i})", False) for t in HAM]
        pairs += [(f"{t} #{i}", True) for t in SPAM]
    return pairs


def test_too_few_decisions_train_nothing(settings):
    settings.MODERATION_SPAM_MIN_EXAMPLES = 50
    assert spam_model_train(examples=decisions(1)) is None
    assert not SpamModel.objects.exists()


def test_one_class_only_trains_nothing(settings):
    settings.MODERATION_SPAM_MIN_EXAMPLES = 5
    assert spam_model_train(examples=[(t, False) for t in HAM]) is None


def test_trained_model_is_stored_and_used_by_the_rule(settings):
    settings.MODERATION_SPAM_MIN_EXAMPLES = 50
    settings.MODERATION_SPAM_HOLD = "0.6"
    for text, is_spam in decisions(3):
        training_example_record(text=text, is_spam=is_spam)
    model = spam_model_train()
    assert model is not None and model.examples == 60 and model.spam_examples == 30
    spammy = judge(submission("Cheap pills and free spins bonus, order now, fast shipping!"))
    civil = judge(submission("The library hours decision is welcome; the figures look right."))
    assert spammy.decision == Decision.HOLD
    assert spammy.scores["spam"] > 0.6
    assert civil.decision == Decision.ALLOW
    assert civil.scores["spam"] < 0.5


def test_model_reloads_from_the_database_in_a_fresh_process_cache(settings):
    settings.MODERATION_SPAM_MIN_EXAMPLES = 10
    spam_model_train(examples=decisions(1))
    first = spam.current_model()
    spam._cache.clear()  # what a new process sees
    again = spam.current_model()
    assert first is not None and again is not None and again is not first
    text = ["Win big with free spins today"]
    assert spam.spam_probability(first, text) == spam.spam_probability(again, text)


def test_tampered_model_is_never_loaded(settings):
    settings.MODERATION_SPAM_MIN_EXAMPLES = 10
    stored = spam_model_train(examples=decisions(1))
    stored.blob = bytes(stored.blob) + b"tampered"
    stored.save()
    assert spam.current_model() is None
    with pytest.raises(ValueError, match="signature"):
        spam.load(stored.blob, stored.signature)


def test_model_is_not_used_below_the_minimum(settings):
    settings.MODERATION_SPAM_MIN_EXAMPLES = 10
    spam_model_train(examples=decisions(1))
    settings.MODERATION_SPAM_MIN_EXAMPLES = 1000
    verdict = judge(submission("Win big with free spins today"))
    assert "spam" not in verdict.scores


def test_changed_decision_replaces_the_old_example():
    training_example_record(text="Visit my shop", is_spam=False, object_key="comment:9")
    training_example_record(text="Visit my shop", is_spam=True, object_key="comment:9")
    assert TrainingExample.objects.get(object_key="comment:9").is_spam is True
    assert TrainingExample.objects.count() == 1


def test_retrain_task_trains_from_stored_decisions(settings):
    settings.MODERATION_SPAM_MIN_EXAMPLES = 20
    for text, is_spam in decisions(1):
        training_example_record(text=text, is_spam=is_spam)
    result = spam_model_retrain.enqueue()
    assert result.return_value == SpamModel.objects.get().pk


def test_only_the_latest_three_models_are_kept(settings):
    settings.MODERATION_SPAM_MIN_EXAMPLES = 10
    for _ in range(5):
        spam_model_train(examples=decisions(1))
    assert SpamModel.objects.count() == 3


def test_retraining_falls_due_after_enough_new_decisions(settings):
    settings.MODERATION_SPAM_MIN_EXAMPLES = 20
    settings.MODERATION_SPAM_RETRAIN_EVERY = 5
    from broadsheet.moderation.selectors import spam_model_due

    for text, is_spam in decisions(1)[:19]:
        training_example_record(text=text, is_spam=is_spam)
    assert not spam_model_due()
    training_example_record(text="Free spins bonus today only", is_spam=True)
    assert spam_model_due()
    spam_model_train()
    assert not spam_model_due()
    for i in range(5):
        training_example_record(text=f"Another decision {i}", is_spam=False)
    assert spam_model_due()


def test_a_model_stored_by_an_older_version_is_refused_not_run(settings, caplog):
    settings.MODERATION_SPAM_MIN_EXAMPLES = 10
    stored = spam_model_train(examples=decisions(1))
    import pickle

    stored.blob = pickle.dumps({"an": "old pipeline"})
    stored.signature = spam.sign(stored.blob)
    stored.save()
    spam._cache.clear()
    assert spam.current_model() is None
    assert "older format" in caplog.text
