"""A small starter list of names for the editors to grow: demo data, loaded through services."""

from __future__ import annotations

from dataclasses import dataclass

from broadsheet.newsroom import services
from broadsheet.newsroom.models import Topic


@dataclass(frozen=True)
class StarterTopic:
    """One name on the starter list."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    description: str = ""


PERSON, ORGANISATION, PLACE = Topic.Kind.PERSON, Topic.Kind.ORGANISATION, Topic.Kind.PLACE

STARTER_TOPICS: tuple[StarterTopic, ...] = (
    # The model alone reads "Quds" as a product and "Qods Force" as a person.
    StarterTopic(
        "Quds Force",
        ORGANISATION,
        ("Qods Force",),
        "The foreign-operations arm of Iran's Revolutionary Guards.",
    ),
    StarterTopic(
        "Islamic Revolutionary Guard Corps",
        ORGANISATION,
        ("Islamic Revolutionary Guards Corps", "IRGC", "Revolutionary Guards"),
    ),
    StarterTopic("Hezbollah", ORGANISATION, ("Hizbollah", "Hizballah")),
    StarterTopic("Islamic State", ORGANISATION, ("ISIS", "ISIL", "Daesh")),
    StarterTopic("Associated Press", ORGANISATION),
    StarterTopic("Reuters", ORGANISATION),
    StarterTopic("United Nations", ORGANISATION, ("UN", "U.N.")),
    StarterTopic("United States", PLACE, ("U.S.", "USA")),
    # The demo paper's own beat.
    StarterTopic("Halvard", PLACE, (), "The city this paper covers."),
    StarterTopic("Halvard City Council", ORGANISATION, ("Halvard council",)),
    StarterTopic("Veloran Trench", PLACE),
    StarterTopic("Teskar Islands", PLACE, ("Teskar",)),
    StarterTopic("Marrow Plains", PLACE),
    StarterTopic("Lake Ostren", PLACE),
)


def starter_topics_load() -> int:
    """Put the starter names on the editors' list, skipping any already there; return how many."""
    added = 0
    for spec in STARTER_TOPICS:
        if Topic.objects.filter(name__iexact=spec.name).exists():
            # An editor's version of the topic (or an earlier load) is kept as it is.
            continue
        services.topic_create(
            name=spec.name,
            kind=spec.kind,
            listed=True,
            aliases="\n".join(spec.aliases),
            description=spec.description,
        )
        added += 1
    return added
