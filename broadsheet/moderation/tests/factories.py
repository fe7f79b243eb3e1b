"""Factories for the moderation models and Submissions."""

from __future__ import annotations

import itertools
from typing import Any

import factory

from broadsheet.moderation.models import Ban, TrainingExample, WordRule
from broadsheet.moderation.verdicts import Submission

_readers = itertools.count(1)


def submission(
    text: str = "A perfectly ordinary remark about the council budget.", **fields: Any
) -> Submission:
    """A Submission from a distinct reader (so counters never collide), with overrides."""
    n = next(_readers)
    defaults: dict[str, Any] = {
        "author_name": f"Reader {n}",
        "author_email": f"reader{n}@example.org",
        "ip_hash": f"iphash{n:06d}",
        "form_age_seconds": 30.0,
    }
    defaults.update(fields)
    return Submission(text=text, **defaults)


class WordRuleFactory(factory.django.DjangoModelFactory[WordRule]):
    class Meta:
        model = WordRule
        django_get_or_create = ("word",)

    word = factory.Sequence(lambda n: f"blorptastic{n}")
    action = WordRule.Action.HOLD


class BanFactory(factory.django.DjangoModelFactory[Ban]):
    class Meta:
        model = Ban

    email = factory.Sequence(lambda n: f"banned{n}@example.org")


class TrainingExampleFactory(factory.django.DjangoModelFactory[TrainingExample]):
    class Meta:
        model = TrainingExample

    text = factory.Sequence(lambda n: f"An ordinary comment number {n}.")
    is_spam = False
