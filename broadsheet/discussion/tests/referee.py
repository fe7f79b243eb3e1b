"""Test rules plugged in through MODERATION_RULES: a referee whose answer a test decides."""

from __future__ import annotations

from broadsheet.moderation.rules import Context, Rule
from broadsheet.moderation.verdicts import Decision, Reason, Submission

# What the rules below were asked, newest last; the `referee` fixture empties it.
SEEN: list[Submission] = []


class _Fixed(Rule):
    decision = Decision.ALLOW

    def check(self, submission: Submission, context: Context) -> Reason | None:
        SEEN.append(submission)
        return self.reason(self.decision, f"The test referee says {self.decision.value}.")


class AllowEverything(_Fixed):
    """Publish every comment, recording what it was asked."""

    name = "test_allow"


class HoldEverything(_Fixed):
    """Hold every comment for a moderator."""

    name = "test_hold"
    decision = Decision.HOLD


class RejectEverything(_Fixed):
    """Refuse every comment (stored as rejected)."""

    name = "test_reject"
    decision = Decision.REJECT


class Referee:
    """Switches the site's rules for one test: `referee.hold()`, `referee.seen`."""

    def __init__(self, settings) -> None:
        self._settings = settings
        self.seen = SEEN

    def _use(self, rule: type[Rule]) -> None:
        self._settings.MODERATION_RULES = [f"{__name__}.{rule.__name__}"]

    def allow(self) -> None:
        """Publish everything from now on."""
        self._use(AllowEverything)

    def hold(self) -> None:
        """Hold everything from now on."""
        self._use(HoldEverything)

    def reject(self) -> None:
        """Refuse everything from now on."""
        self._use(RejectEverything)
