"""The word lists staff edit (WordRule): banned words reject, suspect words hold.

Whole words, matched after normalize.py has undone disguises. A suspect word from the shipped
list needs the cold-start model's agreement, unless it only ever names someone and is aimed at
someone else; a banned word inside quotation marks is held for a moderator, not rejected.
"""

from __future__ import annotations

import re

from broadsheet.moderation import selectors
from broadsheet.moderation.groups import in_quotes
from broadsheet.moderation.normalize import normalize
from broadsheet.moderation.rules import Context, Rule
from broadsheet.moderation.verdicts import Decision, Reason, Submission

# Shipped suspect words only ever aimed at someone: name-calling and demands (swearing, which
# may be aimed at a situation, and words with innocent senses are left to the model).
AIMED_AT_SOMEONE = frozenset(
    """idiot idiots idiotic moron morons moronic imbecile imbeciles cretin cretins jackass
    jackasses dumbass dumbasses asshole assholes scumbag scumbags dickhead dickheads prick
    pricks twat twats wanker wankers cunt cunts libtard libtards retard retards subhuman
    subhumans nudes stfu""".split()
) | {"send nudes", "shut your mouth", "stupid bitch", "traitor scum", "dumb ass"}
# "I'm an idiot", "my own fault for being an idiot", "feel like a clown": the writer's own
# name for themselves, which the policy allows.
SELF_BEFORE = re.compile(
    r"(?:\bi\b|\bi'?m\b|\bim\b|\bi'?ve been\b|\bme\b|\bmyself\b|\bcall me\b|\bmy own\b"
    r"|\bfeel(?:ing)? like\b|\bfelt like\b|\bself[- ]?(?:diagnosed|confessed|declared)\b)"
    r"[^.!?\n]{0,30}$"
)
SELF_AFTER = re.compile(
    r"^(?:\s+(?:like|that)\s+(?:me|i am|i'm)|\s+me\b|\s+(?:moment|move)\b"
    r"|\s+(?:teenage|younger|past|old|student)\s+me\b)"
)
# "Total idiot here:" introduces the writer; "the real idiot here" points at someone else.
HERE_AFTER = re.compile(r"^\s+here\b")
POINTING_BEFORE = re.compile(r"\b(?:the|you|your|only|real|biggest|other)\s+(?:\w+\s+)?$")
# "Like a moron I booked the wrong month."
LIKE_BEFORE = re.compile(r"(?:^|[^\w\s]\s*|\n)like an? (?:\w+ )?$")
I_AFTER = re.compile(r"^\s+i\b")


def said_of_oneself_or_quoted(text: str, start: int, end: int) -> bool:
    """Whether a name at text[start:end] is the writer's own ("I'm an idiot") or quoted."""
    before, after = text[max(0, start - 40) : start], text[end : end + 20]
    return bool(
        SELF_BEFORE.search(before)
        or SELF_AFTER.match(after)
        or (HERE_AFTER.match(after) and not POINTING_BEFORE.search(before))
        or (LIKE_BEFORE.search(before) and I_AFTER.match(after))
        or in_quotes(text, start)
    )


class WordListRule(Rule):
    """Reject banned words and hold suspect words from the lists staff edit (WordRule)."""

    name = "words"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        banned, suspect, _ = context.word_lists
        text = f"{submission.author_name}\n{submission.text}"
        # normalize() works token by token and keeps a line break as one, so the name's form
        # and the text's already normalized form joined by a line break equal normalize(text).
        normalized = "\n".join(
            p for p in (normalize(submission.author_name), context.normalized) if p
        )
        for decision, matcher, what in (
            (Decision.REJECT, banned, "Banned"),
            (Decision.HOLD, suspect, "Suspect"),
        ):
            found = matcher.find(text, normalized=normalized)
            if found and decision == Decision.REJECT and self.all_quoted(matcher, context):
                # A slur quoted to be condemned is for a moderator (or the model) to judge.
                decision, what = Decision.HOLD, "Quoted banned"
            if found:
                words = ", ".join(sorted({m.word for m in found}))
                note = ""
                if decision == Decision.HOLD and self.needs_corroboration(
                    found, matcher, submission, context
                ):
                    stands, note = context.corroborated()
                    decision = Decision.HOLD if stands else Decision.ALLOW
                return self.reason(
                    decision,
                    f"{what} words: {words}.{note}",
                    category=context.likely_category(
                        "identity_attack" if decision == Decision.REJECT else "insult"
                    ),
                    spans=context.original_spans(
                        (start, end) for start, end, _ in matcher.spans(context.normalized)
                    ),
                )
        return None

    @staticmethod
    def needs_corroboration(found, matcher, submission: Submission, context: Context) -> bool:
        """Whether the cold-start model must agree before these suspect words hold.

        A word the site's staff listed holds as it is, and so does a word in the author's
        name, which the model never reads. So do the shipped list's words only ever aimed at
        someone ("jackass", "send nudes") when aimed at someone else: the corpus cannot know
        every insult.
        The rest of the shipped list (swearing, which may be aimed at a situation, sexual and
        spam words) and name-calling said of oneself or inside quotation marks need the
        model's agreement.
        """
        defaults = selectors.default_list_words()
        if not all(m.word.lower() in defaults for m in found):
            return False
        if submission.author_name and matcher.find(submission.author_name):
            return False
        text = context.normalized
        for start, end, word in matcher.spans(text):
            aimed = word.lower() in AIMED_AT_SOMEONE
            if aimed and not said_of_oneself_or_quoted(text, start, end):
                return False
        return True

    @staticmethod
    def all_quoted(matcher, context: Context) -> bool:
        """Whether every listed word found in the text stands inside quotation marks."""
        spans = matcher.spans(context.normalized)
        return bool(spans) and all(in_quotes(context.normalized, start) for start, _, _ in spans)
