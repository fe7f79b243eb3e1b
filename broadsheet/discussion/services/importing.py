"""Comments from other systems: one at a time by import key, or many at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from broadsheet.core.text import render_comment_markdown
from broadsheet.discussion import tree
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.services._bookkeeping import comment_insert, thread_copy_counters
from broadsheet.discussion.services._referee import STATUS_FOR_DECISION, policy_keys
from broadsheet.discussion.services._validation import (
    NAME_MAX,
    Errors,
    add_error,
    raise_errors,
    url_or_empty,
)
from broadsheet.discussion.services.threads import thread_recount
from broadsheet.moderation.judge import judge_many
from broadsheet.moderation.verdicts import Decision, Submission

if TYPE_CHECKING:
    from broadsheet.accounts.models import User


def _imported_verdict() -> dict:
    """What an imported comment's verdict says: no referee judged it here."""
    return {"decision": "allow", "reasons": [], "imported": True}


@dataclass(frozen=True)
class ImportedText:
    """An imported comment as the referee reads it: its words and who wrote them."""

    body: str
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""


@dataclass(frozen=True)
class ImportJudgement:
    """The referee's view of one imported comment: the verdict to store and what it would do."""

    verdict: dict
    decision: str  # allow, hold or reject
    status: str  # the status the referee's decision gives (what --moderate applies)

    @property
    def review(self) -> bool:
        """Whether the referee would not have published it: moderators should look."""
        return self.decision != Decision.ALLOW


def imported_comments_judge(
    *, thread: Thread, texts: Sequence[ImportedText]
) -> list[ImportJudgement]:
    """Judge imported comments on their words alone (a dry run: nothing counted or remembered)."""
    if not texts:
        return []
    keys = policy_keys(thread)
    submissions = [
        Submission(
            text=text.body,
            author_name=text.author_name,
            author_email=text.author_email,
            author_url=text.author_url,
            context_keys=keys,
            dry_run=True,
            imported=True,
        )
        for text in texts
    ]
    judgements = []
    for verdict in judge_many(submissions):
        stored = verdict.as_dict()
        stored["imported"] = True
        judgements.append(
            ImportJudgement(
                verdict=stored,
                decision=verdict.decision.value,
                status=STATUS_FOR_DECISION[verdict.decision],
            )
        )
    return judgements


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
    status: str = Comment.Status.APPROVED,
    verdict: dict | None = None,
    review_imported: bool = False,
) -> Comment:
    """Store a comment from another system once per import_key, with the verdict it was given."""
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
    if status not in Comment.Status.values:
        add_error(errors, "status", f"Unknown status {status!r}.")
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
            status=status,
            fields={
                "user": user,
                "author_name": " ".join((author_name or "").split())[:NAME_MAX],
                "author_email": (author_email or "").strip(),
                "author_url": url_or_empty(author_url),
                "body": clean_body,
                "created_at": created_at or timezone.now(),
                "import_key": import_key,
                "verdict": verdict if verdict is not None else _imported_verdict(),
                "review_imported": review_imported,
            },
        )
    thread_copy_counters(thread, locked)
    return comment


@dataclass(frozen=True)
class BulkComment:
    """One comment for comment_bulk_import; parent is an index into the same list.

    parent_comment is a reply's parent stored earlier (a big import's previous batch).
    """

    author_name: str
    body: str
    parent: int | None = None
    created_at: datetime | None = None
    author_email: str = ""
    author_url: str = ""
    import_key: str = ""
    status: str = Comment.Status.APPROVED
    verdict: dict | None = None
    review_imported: bool = False
    parent_comment: Comment | None = field(default=None, compare=False)


def comment_bulk_import(
    *, thread: Thread, items: list[BulkComment], recount: bool = True
) -> list[Comment]:
    """Store many comments at once (demo data, big imports) with exact paths and counts.

    recount=False leaves the thread's counters to one thread_recount() after the last batch.
    """
    errors: Errors = {}
    for index, item in enumerate(items):
        if item.parent is not None and not 0 <= item.parent < index:
            add_error(
                errors,
                "parent",
                f"Item {index} names parent {item.parent}, which does not come before it.",
            )
        if item.parent_comment is not None and item.parent_comment.thread_id != thread.pk:
            add_error(errors, "parent", f"Item {index}'s parent belongs to another thread.")
        if item.status not in Comment.Status.values:
            add_error(errors, "status", f"Item {index} has an unknown status {item.status!r}.")
    raise_errors(errors)
    now = timezone.now()
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        seq = locked.last_seq
        built: list[Comment] = []
        for item in items:
            given = built[item.parent] if item.parent is not None else item.parent_comment
            parent = tree.reply_parent(given)
            seq += 1
            built.append(
                Comment(
                    thread=locked,
                    parent=parent,
                    path=tree.child_path(parent.path if parent else "", seq),
                    depth=(parent.depth + 1) if parent else 0,
                    seq=seq,
                    status=item.status,
                    author_name=item.author_name[:NAME_MAX],
                    author_email=item.author_email,
                    author_url=url_or_empty(item.author_url),
                    body=item.body,
                    body_html=render_comment_markdown(item.body),
                    created_at=item.created_at or now,
                    import_key=item.import_key,
                    verdict=item.verdict if item.verdict is not None else _imported_verdict(),
                    review_imported=item.review_imported,
                )
            )
        # Insert level by level so every parent has its id before its replies point at it.
        for depth in sorted({c.depth for c in built}):
            level = [c for c in built if c.depth == depth]
            for comment in level:
                parent = comment.parent
                if parent is not None:
                    # Assigned again now that the parent has its id: setting parent_id by hand
                    # would drop the cached parent, and reading it back would cost a query.
                    comment.parent = parent
                    comment.root_id = parent.root_id or parent.pk
            Comment.objects.bulk_create(level, batch_size=500)
        Thread.objects.filter(pk=locked.pk).update(last_seq=seq)
        if not recount:
            locked.last_seq = seq
            thread_copy_counters(thread, locked)
            return built
        fresh = thread_recount(thread=locked)
    thread_copy_counters(thread, fresh)
    return built
