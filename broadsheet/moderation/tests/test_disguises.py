"""Property: a disguised form of a word the referee holds is still held (normalize undoes it)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from broadsheet.moderation.corpus.disguise import LETTER_TRANSFORMS, disguise
from broadsheet.moderation.judge import judge
from broadsheet.moderation.normalize import WordMatcher
from broadsheet.moderation.verdicts import Decision, Submission

# Words on the default hold list (migration 0002) and on the default group list.
HELD_WORDS = ["idiot", "moron", "scum", "imbecile", "retard"]
ways = st.lists(st.sampled_from(LETTER_TRANSFORMS), min_size=1, max_size=4, unique=True)


def readable(disguised: str) -> bool:
    """Whether a disguise is still a word: digits and a mask alone ("1*107") read as arithmetic.

    The normalizer leaves a token of only digits and asterisks alone, so "10*5" stays a sum;
    such a disguise is beyond what any filter can tell from a number.
    """
    return not all(c.isdigit() or c == "*" for token in disguised.split() for c in token)


@given(
    word=st.sampled_from([*HELD_WORDS, "kill yourself", "paid troll"]),
    seed=st.integers(0, 2**32),
    how=ways,
)
def test_the_matcher_finds_every_disguise_of_a_listed_word(word, seed, how):
    disguised = disguise(word, random.Random(seed), ways=tuple(how))
    assume(readable(disguised))
    text = f"Honestly you are a {disguised} and everyone knows it"
    assert [m.word for m in WordMatcher([word]).find(text)] == [word], disguised


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(word=st.sampled_from(HELD_WORDS), seed=st.integers(0, 2**32), how=ways)
def test_the_referee_holds_every_disguise_of_a_held_word(word, seed, how):
    disguised = disguise(word, random.Random(seed), ways=tuple(how))
    assume(readable(disguised))
    verdict = judge(Submission(text=f"What a {disguised} you are.", dry_run=True))
    assert verdict.decision == Decision.HOLD, (disguised, verdict.reasons)
