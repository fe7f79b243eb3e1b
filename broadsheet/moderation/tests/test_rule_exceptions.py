"""What the policy allows that a word or phrase alone would hold: self-mockery, reports, warnings.

The texts here are not in the corpus; each pair shows the allowed form beside the held one.
"""

from __future__ import annotations

import pytest

from broadsheet.moderation.judge import judge
from broadsheet.moderation.phrases import PhraseRule
from broadsheet.moderation.rules import Context
from broadsheet.moderation.spam_rules import PromotionRule
from broadsheet.moderation.tests.factories import submission
from broadsheet.moderation.word_lists import said_of_oneself_or_quoted

pytestmark = pytest.mark.django_db


def decision(text: str) -> str:
    return judge(submission(text)).decision


def reasons(text: str) -> dict:
    return {r.rule: r for r in judge(submission(text)).reasons}


@pytest.mark.parametrize(
    "text",
    [
        "complete idiot here: i queued for the wrong platform.",
        "like a moron i left the oven gloves in the oven.",
        "moron moment at the garden centre, i paid twice.",
        "my own fault for being an idiot about the clocks.",
        "idiot younger me thought the moon landing was filmed.",
        "feeling like a total idiot for missing the deadline.",
    ],
)
def test_name_calling_said_of_oneself_is_left_to_the_model(text):
    word = "idiot" if "idiot" in text else "moron"
    start = text.index(word)
    assert said_of_oneself_or_quoted(text, start, start + len(word))


@pytest.mark.parametrize(
    "text",
    [
        "the only idiot here is the councillor.",
        "you moron, i told you the bridge was shut.",
        "sounds like a moron i used to work with.",
    ],
)
def test_name_calling_aimed_at_someone_else_is_not_taken_for_self_mockery(text):
    word = "idiot" if "idiot" in text else "moron"
    start = text.index(word)
    assert not said_of_oneself_or_quoted(text, start, start + len(word))


def test_self_mockery_the_model_reads_as_harmless_is_published():
    text = "Complete idiot here: I queued for the wrong platform for twenty minutes."
    assert decision(text) == "allow"
    assert "Not held" in reasons(text)["words"].message


@pytest.mark.parametrize(
    "text",
    [
        "The only idiot here is the councillor who signed that contract.",
        "You moron, I told you the bridge was shut.",
    ],
)
def test_the_same_words_aimed_at_someone_are_held(text):
    verdict = judge(submission(text))
    assert (verdict.decision, verdict.category) == ("hold", "insult")


def phrase(text: str):
    return PhraseRule().check(submission(text), Context(submission=submission(text)))


def test_a_threat_quoted_in_a_court_report_is_published_and_the_threat_itself_held():
    report = 'The jury heard she had texted "I know where you live" to the witness nine times.'
    assert phrase(report).decision == "allow"
    assert "Not held" in phrase(report).message
    assert decision(report) == "allow"
    assert phrase("I know where you live, and I know your car.").decision == "hold"


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("Come along to the recital, we'll find you a chair at the front.", False),
        ("Talk to the press again and we'll find you.", True),
        ("Accidents happen on that junction every winter.", False),
        ("Nice shop you've got. Accidents happen.", True),
        ("We'll be visiting the Roman fort with the cubs on Saturday.", False),
    ],
)
def test_hospitality_and_plans_are_not_threats(text, held):
    found = phrase(text)
    assert (found is not None and found.decision == "hold") is held


def promotion(text: str):
    return PromotionRule().check(submission(text), Context(submission=submission(text)))


def test_a_warning_about_a_pitch_is_published_and_the_pitch_held():
    warning = "The spell caster replies under every article are bots, please don't engage."
    assert promotion(warning).decision == "allow"
    assert decision(warning) == "allow"
    pitch = "The spell caster Dr Amina brought my husband back, message her on WhatsApp."
    assert promotion(pitch).decision == "hold"
    assert decision(pitch) == "hold"
    vouched = "Not a scam! Message me on WhatsApp for the forex signals, report back on profits."
    assert promotion(vouched).decision == "hold"


@pytest.mark.parametrize(
    "text",
    [
        "The inquiry published the ministers' WhatsApp messages in full this morning.",
        "I paid £18 for a secondhand atlas at the market last week. Bargain.",
        "Her weekend side hustle is repairing bikes for the neighbours' kids.",
    ],
)
def test_everyday_mentions_of_apps_and_money_are_not_promotion(text):
    assert promotion(text) is None
