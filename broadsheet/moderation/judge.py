"""The referee's entry point (rules arrive with the moderation issue)."""

from broadsheet.moderation.verdicts import Decision, Submission, Verdict


def judge(submission: Submission) -> Verdict:
    """Judge a submission with the configured rules and return the strictest verdict."""
    return Verdict(decision=Decision.ALLOW)
