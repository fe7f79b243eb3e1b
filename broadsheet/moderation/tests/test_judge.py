"""judge(): every rule runs, the strictest wins, and the policy and trust adjust holds."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from broadsheet.moderation import judge as judge_module
from broadsheet.moderation.judge import judge
from broadsheet.moderation.models import ContextPolicy, WordRule
from broadsheet.moderation.rules import Rule
from broadsheet.moderation.tests.factories import BanFactory, WordRuleFactory, submission
from broadsheet.moderation.verdicts import Decision, Reason

pytestmark = pytest.mark.django_db


class AlwaysHold(Rule):
    name = "always_hold"

    def check(self, submission, context):
        return self.reason(Decision.HOLD, "held by test rule", score=0.5)


class AlwaysAllow(Rule):
    name = "always_allow"

    def check(self, submission, context):
        return Reason(rule=self.name, decision=Decision.ALLOW, message="fine")


def rules(settings, *paths):
    settings.MODERATION_RULES = list(paths)
    judge_module._rules.clear()


HERE = "broadsheet.moderation.tests.test_judge"


def test_strictest_decision_wins_and_every_reason_is_kept(settings):
    rules(
        settings,
        f"{HERE}.AlwaysAllow",
        f"{HERE}.AlwaysHold",
        "broadsheet.moderation.rules.HoneypotRule",
    )
    verdict = judge(submission(honeypot="filled"))
    assert verdict.decision == Decision.REJECT
    assert [r.rule for r in verdict.reasons] == ["always_allow", "always_hold", "honeypot"]
    assert verdict.rules == ("honeypot", "always_hold")
    assert verdict.scores["always_hold"] == 0.5


def test_rule_order_comes_from_the_setting(settings):
    rules(settings, f"{HERE}.AlwaysHold", f"{HERE}.AlwaysAllow")
    verdict = judge(submission())
    assert [r.rule for r in verdict.reasons] == ["always_hold", "always_allow"]
    assert verdict.decision == Decision.HOLD


def test_unknown_rule_path_is_a_clear_configuration_error(settings):
    rules(settings, "broadsheet.moderation.rules.NoSuchRule")
    with pytest.raises(ImproperlyConfigured, match="NoSuchRule"):
        judge(submission())


def test_pre_moderation_site_wide_holds_what_is_not_rejected(settings):
    settings.MODERATION_MODE = "pre"
    held = judge(submission())
    rejected = judge(submission(honeypot="bot"))
    assert held.decision == Decision.HOLD
    assert held.reasons[-1].rule == "policy"
    assert rejected.decision == Decision.REJECT


def test_context_policy_pre_moderation_wins_whatever_the_key_order(settings):
    settings.MODERATION_MODE = "post"
    ContextPolicy.objects.create(key="section:world", mode="pre")
    ContextPolicy.objects.create(key="thread:7", mode="post")
    assert judge(submission(context_keys=("section:world",))).decision == Decision.HOLD
    assert judge(submission(context_keys=("thread:7", "section:world"))).decision == "hold"
    assert judge(submission(context_keys=("section:world", "thread:7"))).decision == "hold"
    assert judge(submission(context_keys=("thread:7",))).decision == Decision.ALLOW
    assert judge(submission(context_keys=("section:sport",))).decision == Decision.ALLOW


def test_context_policy_can_relax_a_pre_moderated_site(settings):
    settings.MODERATION_MODE = "pre"
    ContextPolicy.objects.create(key="section:sport", mode="post")
    assert judge(submission(context_keys=("section:sport",))).decision == Decision.ALLOW


def test_trusted_commenter_skips_holds_but_not_bans(settings):
    settings.MODERATION_TRUSTED_AFTER = 3
    WordRuleFactory(word="doofus", action=WordRule.Action.HOLD)
    trusted = {
        "author_approved_count": 3,
        "author_rejected_count": 0,
        "user_id": 7,
        "identity_verified": True,
    }
    verdict = judge(submission("What a doofus plan.", **trusted))
    assert verdict.decision == Decision.ALLOW
    assert "waived" in verdict.reasons[0].message
    BanFactory(email="trusted@example.org")
    banned = judge(submission("Fine words.", author_email="trusted@example.org", **trusted))
    assert banned.decision == Decision.REJECT


def test_one_rejection_or_too_few_approvals_means_not_trusted(settings):
    settings.MODERATION_TRUSTED_AFTER = 3
    WordRuleFactory(word="doofus", action=WordRule.Action.HOLD)
    text = "What a doofus plan."
    signed_in = {"user_id": 8, "identity_verified": True}
    once_rejected = submission(text, author_approved_count=10, author_rejected_count=1, **signed_in)
    newcomer = submission(text, author_approved_count=2, **signed_in)
    assert judge(once_rejected).decision == Decision.HOLD
    assert judge(newcomer).decision == Decision.HOLD


def test_trusted_commenter_and_pre_moderation(settings):
    settings.MODERATION_MODE = "pre"
    settings.MODERATION_TRUSTED_AFTER = 2
    trusted = {"author_approved_count": 2, "user_id": 9, "identity_verified": True}
    settings.MODERATION_TRUSTED_SKIP_PREMODERATION = True
    assert judge(submission("The first remark of the day.", **trusted)).decision == "allow"
    settings.MODERATION_TRUSTED_SKIP_PREMODERATION = False
    assert judge(submission("The second remark of the day.", **trusted)).decision == "hold"


def test_trusted_commenter_still_rejected_for_banned_words(settings):
    settings.MODERATION_TRUSTED_AFTER = 1
    WordRuleFactory(word="snorkelbrain", action=WordRule.Action.REJECT)
    verdict = judge(
        submission("snorkelbrain", author_approved_count=5, user_id=10, identity_verified=True)
    )
    assert verdict.decision == Decision.REJECT


@pytest.mark.parametrize(
    "who",
    [
        pytest.param({"author_email": "regular@example.org"}, id="typed-email"),
        pytest.param({"author_email": "regular@example.org", "user_id": 13}, id="unverified-id"),
    ],
)
@pytest.mark.parametrize("text", ["Those people are pigs.", "You are all idiots."])
def test_a_guest_borrowing_a_regulars_email_is_not_trusted(settings, who, text):
    settings.MODERATION_TRUSTED_AFTER = 5
    history = {"author_approved_count": 5, "author_rejected_count": 0}
    stranger = judge(submission(text, **who, **history))
    assert stranger.decision == Decision.HOLD
    assert not any("waived" in r.message for r in stranger.reasons)
    regular = judge(submission(text, user_id=11, identity_verified=True, **history))
    assert regular.decision == Decision.ALLOW


def test_staff_flag_without_a_signed_in_user_waives_nothing(settings):
    settings.MODERATION_MODE = "pre"
    claimed = judge(submission("A remark on the tram works.", is_staff=True))
    assert claimed.decision == Decision.HOLD
    staff = submission("A remark on the bus works.", is_staff=True, user_id=12)
    assert judge(staff).decision == Decision.HOLD
    verified = submission(
        "A remark on the ferry works.", is_staff=True, user_id=12, identity_verified=True
    )
    assert judge(verified).decision == Decision.ALLOW


def test_judge_stores_nothing_but_rate_counters(django_assert_max_num_queries):
    # Reads word lists, bans, policy, spam model; the only writes are rate-limit counters.
    with django_assert_max_num_queries(12) as queries:
        judge(submission(context_keys=("section:world",)))
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes and all("core_ratecounter" in sql for sql in writes)


def test_judge_writes_nothing_to_the_database_with_a_shared_cache(
    settings, django_assert_max_num_queries
):
    settings.RATE_LIMIT_STORE = "cache"
    # Reads only: word lists, bans, policy, spam model; no INSERT/UPDATE.
    with django_assert_max_num_queries(8) as queries:
        judge(submission(context_keys=("section:world",)))
    assert not [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_reader_message_does_not_name_the_rule():
    WordRuleFactory(word="snorkelbrain", action=WordRule.Action.REJECT)
    verdict = judge(submission("snorkelbrain"))
    assert "snorkelbrain" not in verdict.reader_message()
    assert "word" not in verdict.reader_message().lower()
    assert verdict.reader_message()


def test_verdict_as_dict_is_json_ready():
    import json

    verdict = judge(submission("Thanks for this."))
    data = json.loads(json.dumps(verdict.as_dict()))
    assert data["decision"] == "allow"
    assert data["scores"]["toxic"] < 0.1
