"""Discussion's settings mistakes are reported by `broadsheet check`, not by the first comment."""

from __future__ import annotations

from broadsheet.discussion import checks


def _messages(found) -> list[tuple[str, str]]:
    return [(m.id, m.msg) for m in found]


def test_a_report_limit_that_is_not_count_per_seconds_is_an_error(settings):
    settings.COMMENT_REPORT_RATE = "thirty an hour"
    assert _messages(checks.check_discussion_settings()) == [
        (
            "discussion.E001",
            "COMMENT_REPORT_RATE must look like 10/600 (attempts/seconds), not 'thirty an hour'.",
        )
    ]


def test_a_depth_of_zero_and_a_length_given_as_text_are_errors(settings):
    settings.COMMENT_MAX_DEPTH = 0
    settings.COMMENT_MAX_LENGTH = "5000"
    assert _messages(checks.check_discussion_settings()) == [
        ("discussion.E002", "COMMENT_MAX_DEPTH must be a whole number of 1 or more, not 0."),
        (
            "discussion.E002",
            "COMMENT_MAX_LENGTH must be a whole number of 1 or more, not '5000'.",
        ),
    ]


def test_the_default_settings_pass():
    assert checks.check_discussion_settings() == []
