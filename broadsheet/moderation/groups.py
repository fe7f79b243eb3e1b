"""Identity attacks without slurs: a group of people next to dehumanising words or a sweeping
claim about all of them.

Groups are the staff's WordRule "group" list plus GROUP_NOUNS below (peoples, faiths, sects,
migrants, orientations, genders). Everything matches the normalized text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from broadsheet.moderation.normalize import WordMatcher
from broadsheet.moderation.rules import Context, Rule
from broadsheet.moderation.verdicts import Decision, Reason, Submission

# fmt: off
GROUP_NOUNS = """
afghans africans albanians algerians americans arabs armenians asians australians azerbaijanis
bangladeshis belarusians brazilians brits british bulgarians canadians chechens chinese
colombians croats cubans czechs dutch egyptians english eritreans ethiopians europeans filipinos
french georgians germans ghanaians greeks haitians hungarians indians indonesians iranians
iraqis irish israelis italians jamaicans japanese jordanians kenyans koreans kosovans kurds
lebanese libyans lithuanians mexicans moroccans nigerians pakistanis palestinians persians poles
portuguese romanians russians rwandans saudis scots serbians serbs slovaks somalis spaniards
sudanese syrians tamils turks ukrainians venezuelans vietnamese welsh yemenis zimbabweans
westerners easterners northerners southerners latinos hispanics
muslims moslems jews christians catholics protestants evangelicals mormons hindus sikhs
buddhists atheists shias shiites sunnis alawites druze yazidis copts zionists
immigrants migrants refugees foreigners asylum seekers newcomers expats illegals
travellers travelers gypsies roma
gays lesbians homosexuals bisexuals transgender trans people queers lgbt
women men girls feminists blacks whites black people white people brown people
""".split()
# fmt: on
GROUP_PHRASES = ("asylum seekers", "trans people", "black people", "white people", "brown people")

# Words that cast people as animals, disease or dirt; next to a group of people they hold.
DEHUMANIZING = frozenset(
    """pig pigs swine dog dogs rat rats vermin cockroach cockroaches parasite parasites leech
    leeches lice insects animal animals beast beasts savage savages barbarian barbarians
    subhuman subhumans cancer plague filth scum apes monkeys infestation infest swarm swarms
    breed breeding rodents maggots locusts virus disease diseased invaders""".split()
)
NEAR = 4  # words either side of the group's name
_G = r"(?:the |these |those |all |most |every |that lot of )?(?:@GROUP@)"
# A sweeping claim about a whole group: "X are all ...", "every X is ...", "X only know how to",
# "X control the media". The negative predicates are what make the claim an attack.
_BAD = (
    r"(?:terrorists?|rapists?|criminals?|thieves|thugs|animals|savages|parasites|scroungers|"
    r"liars|lazy|dirty|filthy|stupid|inferior|primitive|violent|evil|dangerous|vile|backward|"
    r"subhuman|a (?:plague|disease|cancer|problem|menace|threat)|not human|genetically \w+|"
    r"born \w+|all the same)"
)
GENERALISATIONS = [
    r"\b" + _G + r" (?:are|r|is) (?:all |just |basically |simply |naturally |nothing but |"
    r"only ever |always )?" + _BAD + r"\b",
    r"\bevery (?:single )?(?:@ONE@) (?:is|are) (?:a |an )?" + _BAD,
    r"\b" + _G + r" (?:only|just) (?:know how to|care about|want to|come here to)\b",
    r"\b" + _G + r" (?:control|run|own|rule) (?:the |our |every |all )?(?:media|banks|"
    r"government|governments|world|money|hollywood|press)\b",
    r"\b(?:send|ship|kick|throw) (?:them|the lot|all of them|" + _G + r") (?:back|out)\b",
    r"\b" + _G + r" (?:breed|multiply|swarm|infest)\b",
    r"\b(?:you-know-who|\(\(\(\s*\w+\s*\)\)\)|globalists? (?:bankers?|elites?|cabal))",
]


OPENING = re.compile(r"(?:^|(?<=[\s(\[]))['‘\"“]")
CLOSING = re.compile(r"['’\"”](?=$|[\s.,;:!?)\]])")


def in_quotes(text: str, position: int) -> bool:
    """Whether `position` lies inside quotation marks opened earlier on its line.

    Words quoted to be condemned ("calling refugees 'vermin' is disgusting") are left to the
    cold-start model, which learned that the policy allows them.
    """
    line_start = text.rfind("\n", 0, position) + 1
    before = text[line_start:position]
    opened = [m.end() for m in OPENING.finditer(before)]
    if not opened:
        return False
    closed = [m.start() for m in CLOSING.finditer(before) if m.start() >= opened[-1]]
    return not closed


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


@lru_cache(maxsize=4)
def _patterns(extra: tuple[str, ...]) -> tuple[WordMatcher, list[re.Pattern[str]]]:
    words = sorted({*GROUP_NOUNS, *GROUP_PHRASES, *extra}, key=len, reverse=True)
    plural = "|".join(re.escape(w) for w in words)
    singular = "|".join(re.escape(_singular(w)) for w in words)
    compiled = [
        re.compile(p.replace("@GROUP@", plural).replace("@ONE@", singular)) for p in GENERALISATIONS
    ]
    return WordMatcher(words), compiled


def group_patterns_builtin() -> tuple[WordMatcher, list[re.Pattern[str]]]:
    """The patterns for the built-in groups alone (what a site without staff-listed groups uses)."""
    return _patterns(())


def group_patterns(context: Context) -> tuple[WordMatcher, list[re.Pattern[str]]]:
    """The matcher for every group (built-in and staff-listed) and the generalisation patterns."""
    _, _, staff_groups = context.word_lists
    return _patterns(tuple(staff_groups.words))


class DehumanizingRule(Rule):
    """Hold comments that put a group of people next to a dehumanising word."""

    name = "dehumanizing"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        groups, _ = group_patterns(context)
        text = context.normalized
        for start, end, group in groups.spans(text):
            before = re.findall(r"[^\W\d_]+", text[:start])[-NEAR:]
            after = re.findall(r"[^\W\d_]+", text[end:])[:NEAR]
            found = {
                m.group(0)
                for m in re.finditer(r"[^\W\d_]+", text)
                if m.group(0) in DEHUMANIZING
                and m.group(0) in before + after
                and not in_quotes(text, m.start())
            }
            if found and not in_quotes(text, start):
                window = [(start, end)] + [
                    (m.start(), m.end())
                    for m in re.finditer(r"[^\W\d_]+", text)
                    if m.group(0) in found and abs(m.start() - start) < 80
                ]
                return self.reason(
                    Decision.HOLD,
                    f"Dehumanizing words next to a group: {group} / {', '.join(sorted(found))}.",
                    category="identity_attack",
                    spans=context.original_spans(window),
                )
        return None


class GeneralisationRule(Rule):
    """Hold sweeping claims about a whole group ("X are all ...", "X control the media")."""

    name = "generalisation"

    def check(self, submission: Submission, context: Context) -> Reason | None:
        _, patterns = group_patterns(context)
        spans = [m.span() for p in patterns for m in p.finditer(context.normalized)]
        if not spans:
            return None
        # A claim in quotation marks is usually quoted to be condemned: the model decides then.
        spans = [span for span in spans if not in_quotes(context.normalized, span[0] + 1)]
        if not spans:
            return None
        return self.reason(
            Decision.HOLD,
            "A sweeping claim about a group of people.",
            category="identity_attack",
            spans=context.original_spans(spans),
        )
