"""Configuration errors surface at `broadsheet check`, not at the first comment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from broadsheet.moderation import checks, toxicity
from broadsheet.moderation.judge import judge
from broadsheet.moderation.tests.factories import submission
from broadsheet.moderation.verdicts import Decision

BROADSHEET = Path(sys.executable).parent / "broadsheet"


def messages(found) -> list[tuple[str, str]]:
    return [(message.id, message.msg) for message in found]


def test_moderation_mode_sometimes_fails_broadsheet_check(tmp_path):
    env = {**os.environ, "MODERATION_MODE": "sometimes", "DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [str(BROADSHEET), "check"], env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 1
    assert (
        "?: (moderation.E001) MODERATION_MODE must be post or pre, not 'sometimes'.\n"
        "\tHINT: post publishes unless a rule holds; pre holds every comment not rejected."
    ) in result.stderr
    assert "System check identified 1 issue" in result.stderr


def test_a_missing_toxicity_model_fails_broadsheet_check(settings, tmp_path):
    settings.MODERATION_TOXICITY_MODEL_DIR = str(tmp_path / "no-model-here")

    with pytest.raises(SystemCheckError) as caught:
        call_command("check")

    assert (
        "?: (moderation.E006) The toxicity rule is configured but its model cannot be loaded: "
        f"the toxicity model folder {tmp_path / 'no-model-here'} does not exist."
    ) in str(caught.value)


def test_a_model_folder_without_its_files_is_reported(settings, tmp_path):
    settings.MODERATION_TOXICITY_MODEL_DIR = str(tmp_path)

    found = messages(checks.check_rules())

    assert len(found) == 1 and found[0][0] == "moderation.E006"
    assert found[0][1].startswith(
        f"The toxicity rule is configured but its model cannot be loaded: "
        f"cannot read the toxicity model in {tmp_path}: "
    )
    assert "tokenizer.pickle" in found[0][1]


def test_no_model_is_needed_without_the_toxicity_rule(settings, tmp_path):
    settings.MODERATION_TOXICITY_MODEL_DIR = str(tmp_path / "no-model-here")
    settings.MODERATION_RULES = ["broadsheet.moderation.rules.BanRule"]
    assert checks.check_rules() == []


@pytest.mark.django_db
def test_a_missing_model_holds_comments_for_a_moderator(settings, tmp_path):
    settings.MODERATION_TOXICITY_MODEL_DIR = str(tmp_path / "no-model-here")

    verdict = judge(submission("A calm remark about the ferry."))

    assert verdict.decision == Decision.HOLD
    reason = next(r for r in verdict.reasons if r.rule == "toxicity")
    assert reason.decision == Decision.HOLD
    assert reason.message == (
        f"Toxicity model unavailable: the toxicity model folder {tmp_path / 'no-model-here'} "
        "does not exist"
    )


def test_the_configured_model_loads_once(settings):
    assert checks.check_rules() == []
    assert toxicity.model() is toxicity.model()


def test_rule_paths_that_do_not_import_are_named(settings):
    settings.MODERATION_RULES = [
        "broadsheet.moderation.rules.BanRule",
        "broadsheet.moderation.rules.BanRul",
        "broadsheet.moderation.conf",
    ]
    found = messages(checks.check_rules())
    assert [item[0] for item in found] == ["moderation.E002", "moderation.E002"]
    assert found[0][1].startswith(
        "MODERATION_RULES: cannot import 'broadsheet.moderation.rules.BanRul' ("
    )
    assert found[1][1] == (
        "MODERATION_RULES: 'broadsheet.moderation.conf' is not a rule class with a check() method."
    )


def test_defaults_read_as_numbers_and_pass():
    from django.conf import settings

    assert settings.MODERATION_TOXICITY_HOLD["toxic"] == 0.5
    assert settings.MODERATION_TOXICITY_REJECT == {"severe_toxic": 0.85, "threat": 0.9}
    assert settings.MODERATION_SPAM_HOLD == 0.7
    assert settings.MODERATION_TOXICITY_GROUP_HOLD == 0.3
    assert checks.check_numbers() == []
    assert checks.check_mode() == []


def test_numbers_given_as_strings_are_flagged(settings):
    settings.MODERATION_SPAM_HOLD = "0.7"
    settings.MODERATION_MAX_LINKS = "2"
    settings.MODERATION_TOXICITY_HOLD = {"toxic": "0.5", "insult": 0.4}
    settings.MODERATION_TOXICITY_REJECT = {"threat": 1.5, "rude": 0.2}
    settings.MODERATION_RATE_PER_IP = ["6 per minute"]

    assert messages(checks.check_numbers()) == [
        ("moderation.E003", "MODERATION_MAX_LINKS must be a whole number of 0 or more, not '2'."),
        ("moderation.E003", "MODERATION_SPAM_HOLD must be a number from 0 to 1, not '0.7'."),
        (
            "moderation.E004",
            "MODERATION_TOXICITY_HOLD: the scores for toxic must be numbers, not ['0.5'].",
        ),
        ("moderation.E004", "MODERATION_TOXICITY_REJECT: unknown toxicity labels rude."),
        ("moderation.E004", "MODERATION_TOXICITY_REJECT: scores must be from 0 to 1 (threat)."),
        (
            "moderation.E005",
            "MODERATION_RATE_PER_IP must look like 10/600 (attempts/seconds), not '6 per minute'",
        ),
    ]


def test_thresholds_from_the_environment_are_parsed_into_numbers(monkeypatch):
    from broadsheet.config.env import env_scores

    monkeypatch.setenv("SOME_THRESHOLDS", "toxic=0.6, threat=0.25,")
    assert env_scores("SOME_THRESHOLDS", {}) == {"toxic": 0.6, "threat": 0.25}
