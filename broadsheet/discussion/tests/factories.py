"""Factories for discussion tests: threads, comments posted through the service, the form."""

from __future__ import annotations

import itertools
import time

import factory

from broadsheet.accounts.tests.factories import UserFactory, editor, moderator, staff_user
from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.security import form_timestamp_sign

# Users come from accounts (which owns User); re-exported for the discussion's tests.
__all__ = [
    "ThreadFactory",
    "UserFactory",
    "big_thread",
    "comment_form",
    "editor",
    "form_stamp",
    "moderator",
    "post",
    "post_result",
    "staff_user",
]


class ThreadFactory(factory.django.DjangoModelFactory[Thread]):
    """A thread for an imaginary page."""

    class Meta:
        model = Thread

    key = factory.Sequence(lambda n: f"test:{n}")
    url = factory.Sequence(lambda n: f"/comments-test/{n}/")
    title = factory.Sequence(lambda n: f"Story number {n}")


# Each post comes from its own address, so the referee's per-IP rate limit stays out of the way.
_addresses = itertools.count(1)


def _next_address() -> str:
    n = next(_addresses)
    return f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}"


def post_result(
    thread: Thread,
    body: str = "A fair point, well made.",
    *,
    parent: Comment | None = None,
    name: str = "Ada Reader",
    email: str = "ada@example.org",
    **kwargs,
) -> services.CommentPosted:
    """Post a guest comment through the real service and return what it did."""
    return services.comment_post(
        thread=thread,
        body=body,
        parent=parent,
        author_name=name,
        author_email=email,
        ip=kwargs.pop("ip", None) or _next_address(),
        **kwargs,
    )


def post(thread: Thread, body: str = "A fair point, well made.", **kwargs) -> Comment:
    """Post a guest comment through the real service and return the stored comment."""
    result = post_result(thread, body, **kwargs)
    assert result.comment is not None, f"nothing was stored: {result.reader_message}"
    return result.comment


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


def form_stamp(thread: Thread, age: float = 60) -> str:
    """A genuine form stamp for the thread, as if the form was shown `age` seconds ago."""
    return form_timestamp_sign(time.time() - age, thread_id=thread.pk)


def comment_form(
    thread: Thread,
    body: str = "The detour added an hour to my commute.",
    /,
    *,
    signed_in: bool = False,
    **fields,
) -> dict:
    """The Leave a Reply form as a guest's browser sends it, stamped a minute ago.

    A signed-in reader's form has no name or email; `fields` add or replace any field, the
    form's own `thread` and `body` included (`rendered_at=...` for a forged or borrowed stamp,
    `parent=...`, `notify="on"`).
    """
    data = {"thread": thread.pk, "rendered_at": form_stamp(thread), "body": body}
    if not signed_in:
        data.update(author_name="Grace Guest", author_email="grace@example.org")
    data.update(fields)
    return data
