"""The starter editors' list the demo loads: valid, listed, and loaded once."""

from __future__ import annotations

import pytest

from broadsheet.newsroom import services
from broadsheet.newsroom.demo_topics import STARTER_TOPICS, starter_topics_load
from broadsheet.newsroom.models import Topic

pytestmark = pytest.mark.django_db


def test_the_starter_list_is_loaded_once_onto_the_editors_list():
    assert starter_topics_load() == len(STARTER_TOPICS)
    assert starter_topics_load() == 0

    assert Topic.objects.filter(listed=True).count() == len(STARTER_TOPICS)
    quds = Topic.objects.get(name="Quds Force")
    assert (quds.kind, quds.listed, quds.alias_list, quds.slug) == (
        "organisation",
        True,
        ["Qods Force"],
        "quds-force",
    )


def test_an_editors_own_version_of_a_starter_topic_is_kept():
    services.topic_create(name="Hezbollah", kind="organisation", description="Ours.")

    starter_topics_load()

    hezbollah = Topic.objects.get(name="Hezbollah")
    assert (hezbollah.listed, hezbollah.aliases, hezbollah.description) == (False, "", "Ours.")
