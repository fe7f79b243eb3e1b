"""The rules: small classes with a `name` and `check(submission, context) -> Reason | None`.

A rule returns None when it has nothing to say, or a Reason (allow, hold or reject, a message for
staff and, where it has one, a score). Rules store nothing but rate-limit counters (cache or
RateCounter, see core/ratelimit.py) and recent-content hashes in the cache (`after()`), and neither
on a dry run. Edits (is_edit) are judged on content only: the honeypot, form-age, rate-limit,
duplicate and first-comment rules skip them. The order is MODERATION_RULES; judge() runs them
all and the strictest decision wins.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from broadsheet.core import ratelimit
from broadsheet.moderation import conf, selectors
from broadsheet.moderation.normalize import Token, normalized, original_spans, render
from broadsheet.moderation.verdicts import Decision, Reason, Submission, Verdict

log = logging.getLogger(__name__)


@dataclass
class Context:
    """What judge() works out once per submission and shares with every rule."""

    submission: Submission
    mode: str = "post"
    trusted: bool = False
    now: float = field(default_factory=time.time)
    # Scores rules add beyond their Reason's single score (e.g. the six toxicity labels).
    scores: dict[str, float] = field(default_factory=dict)
    # Toxicity scores computed in a batch beforehand (judge_many), keyed by label.
    toxicity: dict[str, float] | None = None
    # False when judge_many found no ban in force for the whole batch: no lookup per comment.
    bans_possible: bool = True
    # The spam model judge_many loaded once for its batch (None: no usable model).
    batch_spam_model: Any = None
    spam_model_shared: bool = False

    # Why the toxicity model could not score, when it could not.
    toxicity_error: str = ""
    # Hold thresholds the context policies set ({"insult": 0.8, "toxicity:obscene": 0.95}).
    thresholds: dict[str, float] = field(default_factory=dict)
    # Whether rate limits only look, leaving their windows (rate_windows) to the caller.
    defer_rate_counts: bool = False
    rate_windows: tuple[ratelimit.Window, ...] = ()

    @cached_property
    def tokens(self) -> list[Token]:
        """The submission's canonical tokens, with their spans in the original text."""
        return normalized(self.submission.text)

    @cached_property
    def normalized(self) -> str:
        """The submission's text in canonical form (see normalize.py)."""
        return render(self.tokens)

    def original_spans(self, spans) -> tuple[tuple[int, int], ...]:
        """Spans of `normalized` mapped back onto the submission's text."""
        return tuple(original_spans(self.tokens, spans))

    @cached_property
    def toxicity_scores(self) -> dict[str, float] | None:
        """The BiLSTM's six scores (batched by judge_many when it can), None if unavailable."""
        if self.toxicity is not None:
            return self.toxicity
        # Imported here: numpy and the models load with the first comment, not at start.
        from broadsheet.moderation import toxicity

        try:
            self.toxicity = toxicity.toxicity_scores([self.submission.text])[0]
        except toxicity.ToxicityUnavailable as exc:
            self.toxicity_error = str(exc)
            return None
        return self.toxicity

    @cached_property
    def ngram_counts(self) -> tuple:
        """The normalized text's hashed n-gram counts, shared by the cold-start and spam models."""
        from broadsheet.moderation.coldstart import features

        return features.single_counts(self.normalized)

    @cached_property
    def coldstart(self) -> dict[str, float] | None:
        """The cold-start heads' probabilities, None when the shipped model is unavailable."""
        from broadsheet.moderation.coldstart import model as coldstart_model

        try:
            scorer = coldstart_model.model()
        except coldstart_model.ColdStartUnavailable as exc:
            log.error("cold-start model unavailable: %s", exc)
            return None
        return scorer.probabilities(
            [self.normalized], [self.toxicity_scores], counted=self.ngram_counts
        )[0]

    def corroborated(self) -> tuple[bool, str]:
        """Whether the cold-start model sees abuse enough to let a word or toxicity hold stand.

        A listed word or a high toxicity score also fires on swearing at a situation, on "idiot"
        said of oneself and on slurs quoted to condemn them, which the policy allows and the
        cold-start model learned to tell apart. Without the model, every hold stands.
        """
        probabilities = self.coldstart
        if not probabilities:
            return True, ""
        floor = conf.number("MODERATION_CORROBORATE")
        top = max(probabilities, key=lambda h: probabilities[h])
        if probabilities[top] >= floor:
            return True, ""
        return (
            False,
            f" Not held: the cold-start model sees no abuse ({top} {probabilities[top]:.2f}).",
        )

    def explained(self, head: str) -> list:
        """The words the cold-start model weighed most for one head (computed once per head)."""
        from broadsheet.moderation.coldstart import model as coldstart_model

        cache = self.__dict__.setdefault("_explained", {})
        if head not in cache:
            cache[head] = coldstart_model.model().explain(
                self.tokens, head, counted=self.ngram_counts
            )
        return cache[head]

    def likely_category(self, default: str) -> str:
        """The cold-start model's most probable category, when it leans one way, else default."""
        probabilities = self.coldstart or {}
        if not probabilities:
            return default
        head = max(probabilities, key=lambda h: probabilities[h])
        return head if probabilities[head] >= 0.2 else default

    @cached_property
    def word_lists(self):
        """The (banned, suspect, group) matchers, read once per judgement."""
        return selectors.word_matchers()


def identity(submission: Submission) -> str:
    """A stable key for the author: user id, else email; empty when anonymous."""
    if submission.user_id is not None:
        return f"user:{submission.user_id}"
    email = submission.author_email.strip().lower()
    return f"email:{email}" if email else ""


class Rule:
    """Base class: subclasses set `name` and implement check()."""

    name = "rule"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        """Return a Reason, or None when the rule has nothing to say."""
        raise NotImplementedError

    def after(self, submission: Submission, context: Context, verdict: Verdict) -> None:
        """React to the final verdict (not called on dry runs)."""

    def reason(self, decision: Decision, message: str, **extra) -> Reason:
        """Build this rule's Reason."""
        return Reason(rule=self.name, decision=decision, message=message, **extra)


class BanRule(Rule):
    """Reject authors banned by user id, email or hashed IP."""

    name = "ban"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        if not context.bans_possible:
            return None
        ban = selectors.ban_active_for(
            user_id=submission.user_id, email=submission.author_email, ip_hash=submission.ip_hash
        )
        if ban is None:
            return None
        until = f" until {ban.expires_at:%Y-%m-%d %H:%M} UTC" if ban.expires_at else ""
        return self.reason(Decision.REJECT, f"Author is banned{until} (ban #{ban.pk}).")


class HoneypotRule(Rule):
    """Reject submissions that filled the hidden field only bots see."""

    name = "honeypot"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        # An edit comes from the author's own comment, judged on its content only.
        if submission.honeypot.strip() and not submission.is_edit and not submission.imported:
            return self.reason(
                Decision.REJECT, "The hidden honeypot field was filled in: a bot.", store=False
            )
        return None


class FormAgeRule(Rule):
    """Reject forms sent faster than a person can type, or without a genuine stamp."""

    name = "form_age"
    # A person who was merely quick reads this and sends again; a bot learns nothing from it.
    QUICK = "That was quicker than we expected. Please check your comment and submit it again."

    def check(self, submission: Submission, context: Context) -> Reason | None:
        if submission.is_edit or submission.imported:
            return None
        if submission.form_token_valid is False:
            return self.reason(
                Decision.REJECT,
                "The form's stamp was missing or forged: a bot.",
                store=False,
                reader_message=self.QUICK,
            )
        age = submission.form_age_seconds
        # Unknown age with no form (the API, form_token_valid None) is not evidence of a bot.
        if age is None:
            return None
        minimum = conf.number("MODERATION_MIN_FORM_SECONDS")
        if age < 0 or age < minimum:
            return self.reason(
                Decision.REJECT,
                f"Form sent {age:.1f} s after it was shown (minimum {minimum:g} s): a bot.",
                score=float(age),
                store=False,
                reader_message=self.QUICK,
            )
        return None


class RateLimitRule(Rule):
    """Reject authors posting faster than MODERATION_RATE_PER_IP / _PER_IDENTITY allow.

    With Context.defer_rate_counts the rule only looks, and leaves the windows on the verdict
    (Verdict.rate_windows) for the caller to count in the transaction that stores the comment
    (services.verdict_rates_count): one write transaction per comment instead of two.
    """

    name = "rate_limit"

    def windows(self, submission: Submission) -> tuple[ratelimit.Window, ...]:
        """The windows this submission counts against: its network's and its author's."""
        scopes = []
        if submission.ip_hash:
            scopes.append(("ip", submission.ip_hash, conf.rate_windows("MODERATION_RATE_PER_IP")))
        who = identity(submission)
        if who:
            scopes.append(("id", who, conf.rate_windows("MODERATION_RATE_PER_IDENTITY")))
        return tuple(
            ratelimit.Window(f"{kind}:{ratelimit.key_part(value)}", limit, seconds)
            for kind, value, windows in scopes
            for limit, seconds in windows
        )

    def check(self, submission: Submission, context: Context) -> Reason | None:
        # Edits are neither counted nor limited: a fix must never be refused as posting too fast.
        if submission.is_edit or submission.imported:
            return None
        windows = self.windows(submission)
        deferred = context.defer_rate_counts and not submission.dry_run
        if deferred:
            context.rate_windows = windows
        found = ratelimit.worst(
            windows, count=not (submission.dry_run or deferred), now=context.now
        )
        return too_fast_reason(*found) if found else None


def too_fast_reason(window: ratelimit.Window, hit: ratelimit.Hit) -> Reason:
    """The rate limit's rejection: nothing stored, and when the author may try again."""
    who_text = "this IP address" if window.scope.startswith("ip:") else "this author"
    return Reason(
        rule=RateLimitRule.name,
        decision=Decision.REJECT,
        message=f"Rate limit: more than {hit.limit} comments in {hit.window} s from {who_text}.",
        retry_after_seconds=hit.retry_after,
        store=False,
    )


class DuplicateRule(Rule):
    """Reject the same text posted again by the same author within MODERATION_DUPLICATE_SECONDS."""

    name = "duplicate"
    # Short replies ("Agreed.", "Thank you!") are legitimately repeated.
    MIN_CHARS = 20

    def key(self, submission: Submission, context: Context) -> str | None:
        if submission.is_edit or submission.imported:
            return None
        who = identity(submission) or (f"ip:{submission.ip_hash}" if submission.ip_hash else "")
        text = re.sub(r"[^\w]+", " ", context.normalized).strip()
        if not who or len(text) < self.MIN_CHARS:
            return None
        digest = hashlib.sha256(f"{who}\n{text}".encode()).hexdigest()[:40]
        return f"moderation:dup:{digest}"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        key = self.key(submission, context)
        if key and ratelimit.cache().get(key) is not None:
            return self.reason(Decision.REJECT, "The same author already posted this text.")
        return None

    def after(self, submission: Submission, context: Context, verdict: Verdict) -> None:
        # Remember only what was accepted, so a rejected text can be fixed and sent again.
        key = self.key(submission, context)
        if key and verdict.decision != Decision.REJECT:
            ratelimit.cache().set(key, 1, timeout=int(conf.get("MODERATION_DUPLICATE_SECONDS")))


URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\[[^\]]*\]\([^)]*\)|<a\s")


class LinkCountRule(Rule):
    """Hold comments with more links than MODERATION_MAX_LINKS."""

    name = "links"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        count = len(URL.findall(submission.text))
        maximum = int(conf.get("MODERATION_MAX_LINKS"))
        if count > maximum:
            return self.reason(
                Decision.HOLD,
                f"{count} links (more than {maximum}).",
                score=float(count),
                category="spam",
                spans=tuple((m.start(), m.end()) for m in URL.finditer(submission.text)),
            )
        return None


class FirstCommentRule(Rule):
    """Hold a commenter's first comment when MODERATION_HOLD_FIRST_COMMENT is on."""

    name = "first_comment"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        if (
            conf.get("MODERATION_HOLD_FIRST_COMMENT")
            and submission.is_first_comment
            and not submission.is_edit
            and not submission.imported
        ):
            return self.reason(Decision.HOLD, "First comment from this author.")
        return None


class ToxicityRule(Rule):
    """Hold or reject by the toxicity model's six scores against per-label thresholds.

    When the text names a group of people (WordRule "group" list), the hold threshold for
    toxic, insult and identity_hate drops to MODERATION_TOXICITY_GROUP_HOLD: the model
    under-scores generalizations about a people that use no swear words.
    """

    name = "toxicity"
    GROUP_LABELS = ("toxic", "insult", "identity_hate")

    def check(self, submission: Submission, context: Context) -> Reason | None:
        scores = context.toxicity_scores
        if scores is None:
            # Never a silent allow: a moderator reads what the model could not.
            log.error("toxicity model unavailable, holding the comment: %s", context.toxicity_error)
            return self.reason(
                Decision.HOLD, f"Toxicity model unavailable: {context.toxicity_error}"
            )
        context.scores.update(scores)
        hold = conf.thresholds("MODERATION_TOXICITY_HOLD")
        for key, value in context.thresholds.items():
            if key.startswith("toxicity:"):
                hold[key.removeprefix("toxicity:")] = value
        _, _, groups = context.word_lists
        named = groups.find(submission.text, normalized=context.normalized)
        if named:
            lowered = conf.number("MODERATION_TOXICITY_GROUP_HOLD")
            for label in self.GROUP_LABELS:
                hold[label] = min(hold.get(label, 1.0), lowered)
        for decision, limits in (
            (Decision.REJECT, conf.thresholds("MODERATION_TOXICITY_REJECT")),
            (Decision.HOLD, hold),
        ):
            over = [
                label
                for label, limit in limits.items()
                if label in scores and scores[label] >= limit
            ]
            if over:
                label = max(over, key=lambda item: scores[item])
                detail = ", ".join(f"{item} {scores[item]:.2f}" for item in over)
                about = (
                    f" (names a group: {', '.join(m.word for m in named)})"
                    if named and decision == Decision.HOLD
                    else ""
                )
                category = TOXICITY_CATEGORIES.get(label, "insult")
                note = ""
                if decision == Decision.HOLD:
                    stands, note = context.corroborated()
                    decision = Decision.HOLD if stands else Decision.ALLOW
                return self.reason(
                    decision,
                    f"Toxicity over the hold threshold: {detail}{about}.{note}"
                    if decision != Decision.REJECT
                    else f"Toxicity over the reject threshold: {detail}.",
                    score=scores[label],
                    category=category,
                    spans=explained_spans(context, category),
                )
        top = max(scores, key=lambda label: scores[label])
        return self.reason(
            Decision.ALLOW,
            f"Toxicity below thresholds (highest {top} {scores[top]:.2f}).",
            score=scores[top],
        )


# The category a toxicity label's hold names (the rest are insults).
TOXICITY_CATEGORIES = {"identity_hate": "identity_attack", "threat": "threat"}


def explained_spans(context: Context, category: str) -> tuple[tuple[int, int], ...]:
    """The words the cold-start model weighed most for a category (none if it is unavailable)."""
    from broadsheet.moderation.coldstart import HEADS

    if category not in HEADS or context.coldstart is None:
        return ()
    return tuple((w.start, w.end) for w in context.explained(category))


class SpamModelRule(Rule):
    """Hold or reject by the site's trained spam model, once it has enough decisions."""

    name = "spam_model"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        from broadsheet.moderation import spam

        model = context.batch_spam_model if context.spam_model_shared else spam.current_model()
        if model is None:
            return None
        probability = spam.spam_probability(
            model, [submission.text], counted=[context.ngram_counts]
        )[0]
        context.scores["spam"] = round(probability, 4)
        if probability >= conf.number("MODERATION_SPAM_REJECT"):
            return self.reason(
                Decision.REJECT,
                f"Spam model: {probability:.2f}.",
                score=probability,
                category="spam",
            )
        if probability >= conf.number("MODERATION_SPAM_HOLD"):
            return self.reason(
                Decision.HOLD, f"Spam model: {probability:.2f}.", score=probability, category="spam"
            )
        return None
