"""Factories for accounts tests."""

from __future__ import annotations

import factory

from broadsheet.accounts.models import User

PASSWORD = "harbour-lights-2931"


class ReaderFactory(factory.django.DjangoModelFactory[User]):
    """A registered reader who signs in with PASSWORD."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"reader{n}")
    display_name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    password = factory.django.Password(PASSWORD)
