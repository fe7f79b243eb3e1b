"""The suite's one user factory, and staff members in accounts.roles' groups."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from broadsheet.accounts.models import User
from broadsheet.accounts.roles import EDITORS, MODERATORS, roles_sync

PASSWORD = "harbour-lights-2931"


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A registered reader who signs in with PASSWORD."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"reader{n}")
    display_name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    password = factory.django.Password(PASSWORD)


def staff_user(role: str, **kwargs) -> User:
    """A staff member in one of accounts.roles' groups (Moderators, Editors), roles synced."""
    roles_sync()
    user = UserFactory.create(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    # A fresh instance: Django caches permissions on the object it first checked.
    return User.objects.get(pk=user.pk)


def moderator(**kwargs) -> User:
    """A staff member in the Moderators group."""
    return staff_user(MODERATORS, **kwargs)


def editor(**kwargs) -> User:
    """A staff member in the Editors group, who may not moderate comments."""
    return staff_user(EDITORS, **kwargs)
