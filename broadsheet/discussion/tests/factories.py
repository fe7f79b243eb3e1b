"""Factories for discussion tests: threads, users, and comments posted through the service."""

from __future__ import annotations

import itertools

import factory
from django.contrib.auth import get_user_model

from broadsheet.accounts.models import User
from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, Thread


class ThreadFactory(factory.django.DjangoModelFactory[Thread]):
    """A thread for an imaginary page."""

    class Meta:
        model = Thread

    key = factory.Sequence(lambda n: f"test:{n}")
    url = factory.Sequence(lambda n: f"/comments-test/{n}/")
    title = factory.Sequence(lambda n: f"Story number {n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A registered reader."""

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Reader {n}")
    password = factory.django.Password("pass-word-123")


# Each post comes from its own address, so the referee's per-IP rate limit stays out of the way.
_addresses = itertools.count(1)


def _next_address() -> str:
    n = next(_addresses)
    return f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}"


def post(
    thread: Thread,
    body: str = "A fair point, well made.",
    *,
    parent: Comment | None = None,
    name: str = "Ada Reader",
    email: str = "ada@example.org",
    **kwargs,
) -> Comment:
    """Post a guest comment through the real service."""
    return services.comment_post(
        thread=thread,
        body=body,
        parent=parent,
        author_name=name,
        author_email=email,
        ip=kwargs.pop("ip", None) or _next_address(),
        **kwargs,
    )


def big_thread(size: int, *, replies_every: int = 3, thread: Thread | None = None) -> Thread:
    """Build a thread of `size` approved comments: top-level ones, some with reply chains."""
    thread = thread or ThreadFactory.create()
    items: list[services.BulkComment] = []
    while len(items) < size:
        items.append(services.BulkComment(author_name=f"Reader {len(items)}", body="Top."))
        root = len(items) - 1
        if replies_every and root % replies_every == 0:
            parent = root
            for _ in range(2):
                if len(items) >= size:
                    break
                items.append(
                    services.BulkComment(author_name="Replier", body="Reply.", parent=parent)
                )
                parent = len(items) - 1
    services.comment_bulk_import(thread=thread, items=items)
    thread.refresh_from_db()
    return thread


def staff_user(role: str, **kwargs):
    """A staff member in one of accounts.roles' groups (Moderators, Editors), roles synced."""
    from django.contrib.auth.models import Group

    from broadsheet.accounts.roles import roles_sync

    roles_sync()
    user = UserFactory.create(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    # A fresh instance: Django caches permissions on the object it first checked.
    return get_user_model().objects.get(pk=user.pk)


def moderator(**kwargs):
    """A staff member in the Moderators group."""
    from broadsheet.accounts.roles import MODERATORS

    return staff_user(MODERATORS, **kwargs)


def editor(**kwargs):
    """A staff member in the Editors group, who may not moderate comments."""
    from broadsheet.accounts.roles import EDITORS

    return staff_user(EDITORS, **kwargs)
