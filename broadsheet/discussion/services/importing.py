"""Comments from other systems: one at a time by import key, or many at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from broadsheet.core.text import render_comment_markdown
from broadsheet.discussion import tree
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.services._bookkeeping import comment_insert, thread_copy_counters
from broadsheet.discussion.services._validation import (
    NAME_MAX,
    Errors,
    add_error,
    raise_errors,
    url_or_empty,
)
from broadsheet.discussion.services.threads import thread_recount

if TYPE_CHECKING:
    from broadsheet.accounts.models import User


def _imported_verdict() -> dict:
    """What an imported comment's verdict says: no referee judged it here."""
    return {"decision": "allow", "reasons": [], "imported": True}


def comment_import(
    *,
    thread: Thread,
    parent: Comment | None,
    author_name: str,
    body: str,
    created_at: datetime | None = None,
    import_key: str,
    author_email: str = "",
    author_url: str = "",
    user: User | None = None,
) -> Comment:
    """Store an approved comment from another system, once per import_key, bypassing the referee."""
    errors: Errors = {}
    if not import_key:
        add_error(errors, "import_key", "An imported comment needs its import key.")
        raise_errors(errors)
    existing = Comment.objects.filter(import_key=import_key).first()
    if existing is not None:
        return existing
    clean_body = (body or "").replace("\r\n", "\n").strip()
    if not clean_body:
        add_error(errors, "body", "An imported comment needs a body.")
    if parent is not None and parent.thread_id != thread.pk:
        add_error(errors, "parent", "The parent belongs to another thread.")
    raise_errors(errors)
    parent = tree.reply_parent(parent)
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        existing = Comment.objects.filter(import_key=import_key).first()
        if existing is not None:
            return existing
        comment = comment_insert(
            thread=locked,
            parent=parent,
            status=Comment.Status.APPROVED,
            fields={
                "user": user,
                "author_name": " ".join((author_name or "").split())[:NAME_MAX],
                "author_email": (author_email or "").strip(),
                "author_url": url_or_empty(author_url),
                "body": clean_body,
                "created_at": created_at or timezone.now(),
                "import_key": import_key,
                "verdict": _imported_verdict(),
            },
        )
    thread_copy_counters(thread, locked)
    return comment


@dataclass(frozen=True)
class BulkComment:
    """One approved comment for comment_bulk_import; parent is an index into the same list."""

    author_name: str
    body: str
    parent: int | None = None
    created_at: datetime | None = None
    author_email: str = ""
    author_url: str = ""
    import_key: str = ""


def comment_bulk_import(*, thread: Thread, items: list[BulkComment]) -> list[Comment]:
    """Store many approved comments at once (demo data, big imports) with exact paths and counts."""
    errors: Errors = {}
    for index, item in enumerate(items):
        if item.parent is not None and not 0 <= item.parent < index:
            add_error(
                errors,
                "parent",
                f"Item {index} names parent {item.parent}, which does not come before it.",
            )
    raise_errors(errors)
    now = timezone.now()
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        seq = locked.last_seq
        built: list[Comment] = []
        for item in items:
            parent = tree.reply_parent(built[item.parent] if item.parent is not None else None)
            seq += 1
            built.append(
                Comment(
                    thread=locked,
                    parent=parent,
                    path=tree.child_path(parent.path if parent else "", seq),
                    depth=(parent.depth + 1) if parent else 0,
                    seq=seq,
                    status=Comment.Status.APPROVED,
                    author_name=item.author_name[:NAME_MAX],
                    author_email=item.author_email,
                    author_url=url_or_empty(item.author_url),
                    body=item.body,
                    body_html=render_comment_markdown(item.body),
                    created_at=item.created_at or now,
                    import_key=item.import_key,
                    verdict=_imported_verdict(),
                )
            )
        # Insert level by level so every parent has its id before its replies point at it.
        for depth in range(tree.max_depth()):
            level = [c for c in built if c.depth == depth]
            for comment in level:
                if comment.parent is not None:
                    comment.parent_id = comment.parent.pk
                    comment.root_id = comment.parent.root_id or comment.parent.pk
            Comment.objects.bulk_create(level, batch_size=500)
        Thread.objects.filter(pk=locked.pk).update(last_seq=seq)
        fresh = thread_recount(thread=locked)
    thread_copy_counters(thread, fresh)
    return built
