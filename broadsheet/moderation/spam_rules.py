"""Spam without history: link shapes and promotion that a new site's referee holds on sight.

A plain link to a source is allowed; what spammers use instead is not: short links, BBCode or
HTML anchors in a plain-text box, domains spelt out to dodge link filters ("site dot com"), and
the pitch itself (earnings claims, spell casters, crypto "managers", "message me on WhatsApp").
"""

from __future__ import annotations

import re

from broadsheet.moderation.rules import Context, Rule
from broadsheet.moderation.verdicts import Decision, Reason, Submission

TLDS = r"(?:com|net|org|biz|info|io|co|xyz|online|site|shop|top|club|live|store|click|me|ly|us|uk)"
LINK_SHAPES: dict[str, re.Pattern[str]] = {
    "a short link": re.compile(
        r"\b(?:bit\.ly|tinyurl\.com|t\.co|goo\.gl|ow\.ly|is\.gd|cutt\.ly|rb\.gy|shorturl\.at|"
        r"tiny\.cc|rebrand\.ly|t\.me|wa\.me|linktr\.ee)/\S*",
        re.I,
    ),
    "a BBCode link": re.compile(r"\[url(?:=[^\]]*)?\]", re.I),
    "an HTML link": re.compile(r"<a\s[^>]*href", re.I),
    "a domain spelt out": re.compile(
        r"\b[a-z0-9-]{3,}\s*(?:\(dot\)|\[dot\]|\{dot\}|\(\.\)|\[\.\]|\s+dot\s+)" + TLDS + r"\b",
        re.I,
    ),
}
# Applied to the normalized text (lower case, disguises undone).
PROMOTION: dict[str, re.Pattern[str]] = {
    "an earnings claim": re.compile(
        r"(?:\b(?:i|we|she|he|my \w+)\b[^.!?\n]{0,40}\b(?:make|made|making|earn|earned|earning|"
        r"get|got|profit(?:ed)?|pull in|bring in)\b[^.!?\n]{0,30}(?:[$£€]\s?\d[\d,.]*k?|"
        r"\d[\d,.]*\s?(?:k|dollars|pounds|euros|usd|gbp))\b[^.!?\n]{0,40}\b(?:a|per|every|each|"
        r"in a|in one|this|last)\s(?:day|week|month|hour|year|weekend|days|weeks|months)\b)"
        # Earning from home is a pitch; working from home is how half the readers work.
        r"|\b(?:earn|earning|income|money)\s+(?:working\s+)?from\s+"
        r"(?:home|your phone|the comfort)\b"
        r"|\bpassive income\b|\bfinancial freedom\b",
    ),
    "a spell caster": re.compile(
        r"\bspell ?caster\b|\b(?:love|money|lottery|powerful) spells?\b|\bdr\.? \w+ (?:helped|"
        r"brought|cast)\b|\b(?:bring|brought) (?:back )?(?:my|your) (?:ex|lover|husband|wife)\b",
    ),
    "a crypto or forex pitch": re.compile(
        r"\b(?:bitcoin|crypto|forex|btc|usdt|binary) (?:investment|trading|mining|account|"
        r"manager|expert|platform|signals?)\b|\b(?:account|investment|trade|trading) manager\b"
        r"|\b(?:invested|invest) (?:with|through)\b[^.!?\n]{0,40}\b(?:returns?|profit|earn)\b",
    ),
    "a private-contact pitch": re.compile(
        r"\b(?:message|text|contact|reach|dm|inbox|call|add|write to|chat with) (?:me|him|her|"
        r"them|us)\b[^.!?\n]{0,25}\b(?:on|via|at|through)\s+(?:whats ?app|telegram|signal|"
        r"wechat|viber|instagram|email)\b|\bwhats ?app\s*(?:me\b|us\b|\+|:|now\s*[:+\d]|number\b)|"
        r"\btelegram\s*(?:@|:|me\b)|\bcheck (?:out )?my (?:profile|bio|page|channel)\b",
    ),
    "a phone number to call": re.compile(
        r"\b(?:call|text|whats ?app|ring|phone|contact|reach)\s+(?:us|me|him|her|them|today|now)?"
        r"\s*(?:on|at)?\s*:?\s*\+?\(?\d[\d\s().-]{7,}\d"
    ),
    "a money-recovery or fee scam": re.compile(
        r"\brecovery (?:agent|expert|service|specialist|company)\b|\brecover(?:ed)? (?:my|your|"
        r"their|all) (?:funds|money|savings|bitcoin|crypto)\b|\bdear (?:friend|sir|madam|"
        r"beloved)\b[^\n]{0,200}\b(?:million|inheritance|beneficiary|next of kin|fund)s?\b"
        r"|\bprivate (?:group|club|channel)\b[^.!?\n]{0,60}\b(?:serious|join|dm|message|comment)\b"
        r"|\bphysical gold\b|\bfrom our vault\b",
    ),
    "self-promotion": re.compile(
        r"\b(?:subscribe to|follow) my (?:channel|page|youtube|blog|podcast|tiktok|instagram)\b"
        r"|\b(?:use|with) (?:my|the) (?:code|promo code|coupon|referral)\b|\b\d{1,2}% off\b"
        r"|\blimited (?:time )?offer\b|\bdm (?:me|us) for (?:prices|details|more)\b"
        r"|\b(?:order|buy|shop) (?:now|today) at\b"
        r"|\bwe(?:'re| are) a (?:small |local |family |friendly )?(?:firm|company|business|"
        r"agency)\b[^\n]{0,80}\b(?:call|contact|message|book|quote|visit|dm)\b",
    ),
}

# Readers warning each other about the pitch ("the 'spell caster' comments are bots, report
# them") quote it; such a comment with no link is held only if the cold-start model agrees.
WARNING = re.compile(
    r"\b(?:scam|scams|scammers?|fraud|fraudsters?|fake|bots?|textbook|beware|loan sharks?"
    r"|report(?:ed)? (?:it|them|these|those)|don't engage|be careful)\b"
)
VOUCHING = re.compile(r"\b(?:not a|no|isn't a|never a) (?:scam|fraud|fake)\b|\blegit\b")
ANY_LINK = re.compile(r"https?://|www\.|\b[a-z0-9-]+\.(?:" + TLDS[3:-1] + r")/", re.I)


def is_warning(submission: Submission, normalized: str) -> bool:
    """Whether a comment warns about a pitch rather than makes it (no link, no vouching)."""
    return bool(
        WARNING.search(normalized)
        and not VOUCHING.search(normalized)
        and not ANY_LINK.search(submission.text)
    )


class LinkShapeRule(Rule):
    """Hold links shaped the way only spam writes them (short links, BBCode, spelt-out domains)."""

    name = "link_shapes"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        found = {
            what: [m.span() for m in pattern.finditer(submission.text)]
            for what, pattern in LINK_SHAPES.items()
        }
        kinds = [what for what, spans in found.items() if spans]
        if not kinds:
            return None
        return self.reason(
            Decision.HOLD,
            f"Spam link shape: {', '.join(kinds)}.",
            category="spam",
            spans=tuple(span for what in kinds for span in found[what]),
        )


class PromotionRule(Rule):
    """Hold the pitch itself: earnings claims, spell casters, crypto, private-contact lures."""

    name = "promotion"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        found = {
            what: [m.span() for m in pattern.finditer(context.normalized)]
            for what, pattern in PROMOTION.items()
        }
        kinds = [what for what, spans in found.items() if spans]
        if not kinds:
            return None
        decision, note = Decision.HOLD, ""
        if is_warning(submission, context.normalized):
            stands, note = context.corroborated()
            decision = Decision.HOLD if stands else Decision.ALLOW
        return self.reason(
            decision,
            f"Reads like promotion: {', '.join(kinds)}.{note}",
            category="spam",
            spans=context.original_spans(span for what in kinds for span in found[what]),
        )
