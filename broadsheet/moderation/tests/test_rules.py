"""Each rule on its own, through judge() with the default rule list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.moderation.judge import judge
from broadsheet.moderation.models import WordRule
from broadsheet.moderation.phrases import PhraseRule
from broadsheet.moderation.rules import Context
from broadsheet.moderation.tests.factories import BanFactory, WordRuleFactory, submission
from broadsheet.moderation.verdicts import Decision

pytestmark = pytest.mark.django_db


def reasons_by_rule(verdict):
    return {r.rule: r for r in verdict.reasons}


def test_civil_comment_is_published():
    verdict = judge(submission("Thank you for the careful reporting on the flood relief."))
    assert verdict.decision == Decision.ALLOW


def test_banned_email_is_rejected():
    BanFactory(email="troll@example.org")
    verdict = judge(submission(author_email="Troll@Example.org"))
    assert verdict.decision == Decision.REJECT
    assert reasons_by_rule(verdict)["ban"].decision == Decision.REJECT


def test_ban_by_hashed_ip_and_by_user(django_user_model):
    user = django_user_model.objects.create_user(username="banned", password="x" * 12)
    BanFactory(email="", user=user)
    BanFactory(email="", ip_hash="badip")
    assert judge(submission(user_id=user.pk)).decision == Decision.REJECT
    assert judge(submission(ip_hash="badip")).decision == Decision.REJECT
    assert judge(submission(ip_hash="goodip")).decision == Decision.ALLOW


def test_expired_ban_no_longer_applies():
    BanFactory(email="former@example.org", expires_at=timezone.now() - timedelta(minutes=1))
    BanFactory(email="current@example.org", expires_at=timezone.now() + timedelta(days=1))
    assert judge(submission(author_email="former@example.org")).decision == Decision.ALLOW
    assert judge(submission(author_email="current@example.org")).decision == Decision.REJECT


def test_honeypot_filled_is_rejected_as_bot():
    verdict = judge(submission(honeypot="http://spam.example"))
    assert verdict.decision == Decision.REJECT
    assert "honeypot" in reasons_by_rule(verdict)


@pytest.mark.parametrize(("age", "decision"), [(0.5, "reject"), (-4, "reject"), (3.5, "allow")])
def test_form_sent_too_fast_is_rejected_as_bot(age, decision, settings):
    settings.MODERATION_MIN_FORM_SECONDS = 3
    assert judge(submission(form_age_seconds=age)).decision == decision


def test_form_age_unknown_is_not_judged():
    assert judge(submission(form_age_seconds=None)).decision == Decision.ALLOW


@pytest.mark.parametrize(
    ("token_valid", "age", "decision"),
    [
        (False, None, "reject"),  # the HTML form's stamp was missing or forged
        (False, 30.0, "reject"),
        (True, 30.0, "allow"),
        (None, None, "allow"),  # no form at all: the API
    ],
)
def test_form_without_a_genuine_stamp_is_rejected_as_bot(token_valid, age, decision):
    verdict = judge(submission(form_token_valid=token_valid, form_age_seconds=age))
    assert verdict.decision == decision
    if decision == "reject":
        assert "form_age" in reasons_by_rule(verdict)


def test_an_edit_is_judged_on_its_content_only():
    author = {
        "author_email": "editor@example.org",
        "honeypot": "stale autofill",
        "form_age_seconds": 0.2,
        "form_token_valid": False,
        "is_edit": True,
    }
    text = "The bypass consultation closes on Friday, make your views known."
    assert judge(submission(text, author_email="editor@example.org")).decision == "allow"
    # Same text again, a bot-looking form: none of that is held against an edit.
    edit = judge(submission(text + " (Edited: typo.)", **author))
    assert edit.decision == Decision.ALLOW, edit.reasons
    assert judge(submission(text, **author)).decision == Decision.ALLOW


def test_an_edit_is_still_judged_on_its_words_and_its_author():
    WordRuleFactory(word="snorkelbrain", action=WordRule.Action.REJECT)
    WordRuleFactory(word="doofus", action=WordRule.Action.HOLD)
    assert judge(submission("Edited: snorkelbrain.", is_edit=True)).decision == "reject"
    assert judge(submission("Edited: what a doofus.", is_edit=True)).decision == "hold"
    assert judge(submission("Threatening words? I will kill you.", is_edit=True)).decision in {
        "hold",
        "reject",
    }
    BanFactory(email="banned-editor@example.org")
    banned = submission("Harmless edit.", author_email="banned-editor@example.org", is_edit=True)
    assert judge(banned).decision == Decision.REJECT


def test_too_many_links_are_held(settings):
    # The link count alone: the cold-start spam head judges what the links look like.
    settings.MODERATION_RULES = ["broadsheet.moderation.rules.LinkCountRule"]
    settings.MODERATION_MAX_LINKS = 2
    two = "See https://a.example/x and www.b.example for the data."
    three = two + " Also [this](https://c.example)."
    assert judge(submission(two)).decision == Decision.ALLOW
    verdict = judge(submission(three))
    assert verdict.decision == Decision.HOLD
    assert verdict.scores["links"] == 3


def test_banned_word_rejects_and_suspect_word_holds():
    WordRuleFactory(word="snorkelbrain", action=WordRule.Action.REJECT)
    WordRuleFactory(word="doofus", action=WordRule.Action.HOLD)
    rejected = judge(submission("Only a sn0rkelbraaain would say that."))
    held = judge(submission("What a D0OFUS."))
    assert rejected.decision == Decision.REJECT
    assert "snorkelbrain" in reasons_by_rule(rejected)["words"].message
    assert held.decision == Decision.HOLD


def test_listed_words_do_not_match_inside_other_words():
    WordRuleFactory(word="ass", action=WordRule.Action.REJECT)
    verdict = judge(submission("Inspectors will assess the bass section of the orchestra."))
    assert verdict.decision == Decision.ALLOW


def test_default_lists_are_seeded_and_editable():
    assert WordRule.objects.filter(word="idiot", action=WordRule.Action.HOLD).exists()
    held = judge(submission("You are an idiooot."))
    assert held.decision == Decision.HOLD
    assert reasons_by_rule(held)["words"].message == "Suspect words: idiot."
    WordRule.objects.filter(word="idiot").delete()
    # The word list no longer speaks; the cold-start model still sees the insult.
    again = judge(submission("You are an idiooot."))
    assert "words" not in reasons_by_rule(again)
    assert reasons_by_rule(again)["coldstart"].category == "insult"


def test_word_in_author_name_counts():
    WordRuleFactory(word="doofus", action=WordRule.Action.HOLD)
    assert judge(submission(author_name="Captain Doofus")).decision == Decision.HOLD


def test_first_comment_held_only_when_the_setting_is_on(settings):
    settings.MODERATION_HOLD_FIRST_COMMENT = False
    assert judge(submission(is_first_comment=True)).decision == Decision.ALLOW
    settings.MODERATION_HOLD_FIRST_COMMENT = True
    assert judge(submission(is_first_comment=True)).decision == Decision.HOLD
    assert judge(submission(is_first_comment=False)).decision == Decision.ALLOW


def test_duplicate_text_from_same_author_is_rejected_but_not_from_another():
    text = "The bypass consultation closes on Friday, make your views known."
    first = judge(submission(text, author_email="same@example.org"))
    again = judge(submission(text.upper() + "!", author_email="same@example.org"))
    other = judge(submission(text, author_email="other@example.org"))
    assert first.decision == Decision.ALLOW
    assert again.decision == Decision.REJECT
    assert "duplicate" in reasons_by_rule(again)
    assert other.decision == Decision.ALLOW


def test_rejected_text_may_be_sent_again_once_fixed():
    text = "A reasoned comment about the transport budget and its priorities."
    rejected = judge(submission(text, author_email="fixer@example.org", honeypot="x"))
    retried = judge(submission(text, author_email="fixer@example.org"))
    assert rejected.decision == Decision.REJECT
    assert retried.decision == Decision.ALLOW


def test_short_replies_may_repeat():
    assert judge(submission("Agreed.", author_email="a@example.org")).decision == "allow"
    assert judge(submission("Agreed.", author_email="a@example.org")).decision == "allow"


@pytest.mark.parametrize(
    "text",
    [
        "Someone should put a bullet in his head.",
        "We know where your kids go to school.",
        "The judge should be hanged for this.",
        "Send me your number, sweetheart.",
    ],
)
def test_threats_and_harassment_are_held_by_phrases(text):
    reason = PhraseRule().check(submission(text), Context(submission=submission(text)))
    assert reason is not None and reason.decision == Decision.HOLD


@pytest.mark.parametrize(
    "text",
    [
        "The militia executed prisoners and the airstrike killed civilians.",
        "Police shot a man during the raid, the inquiry heard.",
        "The bomb disposal team closed the street.",
    ],
)
def test_war_reporting_is_not_read_as_a_threat(text):
    assert PhraseRule().check(submission(text), Context(submission=submission(text))) is None


def test_toxic_comment_is_held_with_its_six_scores():
    verdict = judge(submission("You are a stupid worthless idiot and everyone hates you."))
    assert verdict.decision == Decision.HOLD
    assert set(verdict.scores) >= {
        "toxic",
        "severe_toxic",
        "obscene",
        "threat",
        "insult",
        "identity_hate",
    }
    assert verdict.scores["toxic"] > 0.9


TOXICITY_ONLY = ["broadsheet.moderation.rules.ToxicityRule"]


def test_toxicity_thresholds_are_settings(settings):
    settings.MODERATION_RULES = TOXICITY_ONLY
    text = "This is a stupid policy from stupid people."
    settings.MODERATION_TOXICITY_HOLD = ["toxic=0.99"]
    settings.MODERATION_TOXICITY_REJECT = []
    allowed = judge(submission(text))
    settings.MODERATION_TOXICITY_REJECT = ["toxic=0.05"]
    rejected = judge(submission(text))
    assert allowed.decision == Decision.ALLOW
    assert rejected.decision == Decision.REJECT


def test_naming_a_group_lowers_the_toxicity_threshold(settings):
    # The BiLSTM scores this generalization below the usual hold threshold (about 0.45); the
    # cold-start model, left out here, holds it as an identity attack on its own.
    settings.MODERATION_RULES = TOXICITY_ONLY
    text = "The Irish are lazy drunks, always have been."
    assert WordRule.objects.filter(word="irish", action=WordRule.Action.GROUP).exists()
    named = judge(submission(text))
    WordRule.objects.filter(word="irish").delete()
    unnamed = judge(submission(text))
    assert named.decision == Decision.HOLD
    assert "names a group" in reasons_by_rule(named)["toxicity"].message
    assert unnamed.decision == Decision.ALLOW


def test_dehumanizing_word_next_to_a_group_is_held():
    WordRuleFactory(word="zorblaxians", action=WordRule.Action.GROUP)
    held = judge(submission("Those zorblaxians are vermin, every one."))
    far = judge(submission("Zorblaxians say the price paid at the market for pigs fell again."))
    assert held.decision == Decision.HOLD
    assert "zorblaxians / vermin" in reasons_by_rule(held)["dehumanizing"].message
    assert "dehumanizing" not in reasons_by_rule(far)


def test_toxicity_rule_holds_for_a_person_when_the_package_is_missing(monkeypatch, caplog):
    from broadsheet.moderation import toxicity

    monkeypatch.setattr(toxicity, "_models", {})
    monkeypatch.setattr(toxicity, "PACKAGE", "no_such_toxicity_package")
    verdict = judge(submission("A calm remark."))
    assert verdict.decision == Decision.HOLD
    assert reasons_by_rule(verdict)["toxicity"].message == (
        "Toxicity model unavailable: toxic-comment-classifier is not installed: "
        "pip install --no-deps toxic-comment-classifier==0.3.0"
    )
    assert [r.levelname for r in caplog.records if "toxicity model unavailable" in r.message] == [
        "ERROR"
    ]
