"""What the referee is asked (Submission) and what it answers (Verdict)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from broadsheet.core.ratelimit import Window, too_fast_message

# What a hold is about, as moderators filter the queue by it. "other" covers holds that name
# no kind of abuse (too many links, a first comment, pre-moderation).
CATEGORY_LABELS = {
    "insult": "Insult",
    "identity_attack": "Identity attack",
    "sexual": "Sexual harassment",
    "threat": "Threat",
    "spam": "Spam",
}
CATEGORIES = tuple(CATEGORY_LABELS)
HELD_MESSAGE = "Thank you. Your comment will appear once a moderator has reviewed it."
REFUSED_MESSAGE = "Sorry, this comment cannot be published."


class Decision(StrEnum):
    """A rule's or the referee's answer, ordered by severity."""

    ALLOW = "allow"
    HOLD = "hold"
    REJECT = "reject"

    @property
    def severity(self) -> int:
        """Rank so the strictest decision wins: allow < hold < reject."""
        return {"allow": 0, "hold": 1, "reject": 2}[self.value]


@dataclass(frozen=True)
class Submission:
    """A comment to judge, described without reference to articles or threads' models."""

    text: str
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    user_id: int | None = None
    # True only when the author is a signed-in user (user_id is theirs, not typed in): trust and
    # staff waivers apply only then, never to a guest who typed a regular's email.
    identity_verified: bool = False
    ip_hash: str = ""
    user_agent: str = ""
    # Opaque keys the caller uses for per-context policy, e.g. "section:world", "thread:42".
    context_keys: tuple[str, ...] = ()
    is_edit: bool = False
    is_staff: bool = False
    honeypot: str = ""
    form_age_seconds: float | None = None
    # The HTML form's signed stamp: True genuine, False missing or tampered (a bot), None when no
    # form is involved (the API); False rejects like a too-fast form.
    form_token_valid: bool | None = None
    # Whether the caller wants a dry run: rules must not count this submission (rate limits).
    dry_run: bool = False
    # The author's history, supplied by the caller (moderation knows nothing of comments).
    author_approved_count: int = 0
    author_rejected_count: int = 0
    is_first_comment: bool = False
    # A comment brought from another site, judged on its words only: no form, no posting rate,
    # no repeat or first-comment hold apply to what was written elsewhere long ago.
    imported: bool = False


@dataclass(frozen=True)
class Reason:
    """One rule's finding: its decision, a message for staff, and an optional score."""

    rule: str
    decision: Decision
    message: str
    score: float | None = None
    # Set by rate limits: when the author may try again.
    retry_after_seconds: int | None = None
    # False on a rejection that must leave no row (too fast, bot traps): a person resubmits
    # the same text, and a bot should leave no trace.
    store: bool = True
    # Words for the author when this reason decides; empty means the referee's plain default.
    reader_message: str = ""
    # The kind of abuse it found (CATEGORIES), or "" when it names none.
    category: str = ""
    # (start, end) character spans of the comment's text that weighed most, for highlighting.
    spans: tuple[tuple[int, int], ...] = ()

    def as_dict(self) -> dict:
        """Return a JSON-ready form."""
        data: dict[str, object] = {
            "rule": self.rule,
            "decision": self.decision.value,
            "message": self.message,
            "score": self.score,
        }
        if self.retry_after_seconds is not None:
            data["retry_after_seconds"] = self.retry_after_seconds
        if not self.store:
            data["store"] = False
        if self.category:
            data["category"] = self.category
        if self.spans:
            data["spans"] = [list(span) for span in self.spans]
        return data


@dataclass(frozen=True)
class Verdict:
    """The referee's answer: the strictest decision among the rules, with every reason."""

    decision: Decision
    reasons: tuple[Reason, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)
    retry_after_seconds: int | None = None
    # The rate-limit windows judge(defer_rate_counts=True) left for the caller to count.
    rate_windows: tuple[Window, ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        """Names of the rules that held or rejected, strictest first."""
        decisive = [r for r in self.reasons if r.decision != Decision.ALLOW]
        decisive.sort(key=lambda r: -r.decision.severity)
        return tuple(r.rule for r in decisive)

    @property
    def deciding(self) -> Reason | None:
        """The reason that names the verdict's category: a deciding one with a category, the
        most confident first (a rule's own finding, with no score, counts as certain)."""
        if self.decision == Decision.ALLOW:
            return None
        named = [r for r in self.reasons if r.decision == self.decision and r.category]
        if not named:
            return None
        return max(named, key=lambda r: 1.0 if r.score is None else r.score)

    @property
    def category(self) -> str:
        """What the hold or rejection is about (CATEGORIES), "other", or "" when allowed."""
        if self.decision == Decision.ALLOW:
            return ""
        reason = self.deciding
        return reason.category if reason is not None else "other"

    @property
    def score(self) -> float | None:
        """How sure the referee is of the category (1.0 for a rule's certain finding)."""
        reason = self.deciding
        if reason is None:
            return None
        return 1.0 if reason.score is None else round(float(reason.score), 4)

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Every span of the text that a holding or refusing reason pointed at, merged."""
        found = sorted(
            tuple(span) for r in self.reasons if r.decision != Decision.ALLOW for span in r.spans
        )
        merged: list[tuple[int, int]] = []
        for start, end in found:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    @property
    def stored(self) -> bool:
        """Whether the submission is kept at all: a rejection marked "do not store" keeps none."""
        rejections = [r for r in self.reasons if r.decision == Decision.REJECT]
        return self.decision != Decision.REJECT or all(r.store for r in rejections)

    def reader_message(self) -> str:
        """Plain words for the author that do not teach spammers which rule fired."""
        if self.decision == Decision.ALLOW:
            return ""
        if self.retry_after_seconds and self.decision == Decision.REJECT:
            return too_fast_message(
                doing="commenting",
                retry_after=self.retry_after_seconds,
                kept="Your text has been kept.",
            )
        deciding = [r for r in self.reasons if r.decision == self.decision]
        # A reason's own words are used only when every deciding reason has some: a bot trap
        # beside a hurried form must not be told it was merely quick.
        if deciding and all(r.reader_message for r in deciding):
            return deciding[0].reader_message
        return HELD_MESSAGE if self.decision == Decision.HOLD else REFUSED_MESSAGE

    def as_dict(self) -> dict:
        """Return a JSON-ready form."""
        data: dict[str, object] = {
            "decision": self.decision.value,
            "reasons": [r.as_dict() for r in self.reasons],
            "scores": self.scores,
            "retry_after_seconds": self.retry_after_seconds,
        }
        if self.category:
            # Top-level so the queue can filter and sort on them in the database.
            data["category"] = self.category
            data["score"] = self.score
            data["spans"] = [list(span) for span in self.spans]
        return data
