"""Posting: a reader's comment or reply, judged by the referee, stored once."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from broadsheet.core.metrics import COMMENTS_POSTED
from broadsheet.core.network import ip_hash
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.security import keyed_hash
from broadsheet.discussion.services._bookkeeping import (
    comment_place,
    thread_claim,
    thread_copy_counters,
)
from broadsheet.discussion.services._effects import subscribers_notify_new
from broadsheet.discussion.services._referee import STATUS_FOR_DECISION, author_history, policy_keys
from broadsheet.discussion.services._validation import (
    Errors,
    add_error,
    body_clean,
    guest_clean,
    parent_resolve,
    raise_errors,
    url_clean,
)
from broadsheet.discussion.services.subscriptions import subscription_request
from broadsheet.moderation.judge import judge
from broadsheet.moderation.services import verdict_rates_count, verdict_record
from broadsheet.moderation.verdicts import Decision, Submission, Verdict

if TYPE_CHECKING:
    from broadsheet.accounts.models import User

# Two identical submissions this close together are one reader clicking twice.
DOUBLE_SUBMIT_SECONDS = 120
USER_AGENT_MAX = 300
THREAD_HIDDEN = "This discussion is not available."
THREAD_CLOSED = "Comments are closed on this page."
# A second submit of one of these returns it; a rejected or deleted one can be sent again.
REPEATABLE = (Comment.Status.APPROVED, Comment.Status.PENDING)


@dataclass(frozen=True)
class CommentPosted:
    """What comment_post did, and what to tell the author.

    comment is None when the referee refused without storing (too fast, a bot trap); created
    is False when a double submit returned the comment stored the first time, whose author
    rights (the edit token) must not be handed out again.
    """

    comment: Comment | None
    created: bool
    stored: bool
    reader_message: str = ""
    retry_after: int | None = None
    subscription_pending: bool = False

    @property
    def refused(self) -> bool:
        """Whether the author's comment will not be published: not stored, or stored rejected."""
        return self.comment is None or self.comment.status == Comment.Status.REJECTED


def _not_stored(verdict: Verdict) -> CommentPosted:
    return CommentPosted(
        comment=None,
        created=False,
        stored=False,
        reader_message=verdict.reader_message(),
        retry_after=verdict.retry_after_seconds,
    )


def _submit_fingerprint(
    *, thread_id: int, parent: Comment | None, user: User | None, email: str, body: str
) -> str:
    """A keyed hash of where, who and what: the same submission has the same fingerprint."""
    who = f"user:{user.pk}" if user is not None else f"guest:{email.strip().lower()}"
    where = f"{thread_id}:{parent.pk if parent is not None else ''}"
    return keyed_hash("submit", f"{where}\n{who}\n{body}")[:32]


def _double_submit(*, fingerprint: str, body: str, now: datetime) -> Comment | None:
    # One index lookup by fingerprint, the rest compared here (almost always on no row at all):
    # the text too, since an edit changes it.
    since = now - timedelta(seconds=DOUBLE_SUBMIT_SECONDS)
    rows = Comment.objects.filter(submit_fingerprint=fingerprint).values_list(
        "pk", "body", "status", "created_at"
    )
    for pk, text, status, created_at in sorted(rows):
        if text == body and status in REPEATABLE and created_at >= since:
            return Comment.objects.get(pk=pk)
    return None


def _thread_refuse(thread_id: int) -> NoReturn:
    """Say why thread_claim did not take the thread: hidden, or closed."""
    fresh = Thread.objects.get(pk=thread_id)
    raise ValidationError({"thread": [THREAD_HIDDEN if not fresh.is_visible else THREAD_CLOSED]})


def _thread_check(thread: Thread, now: datetime, errors: Errors) -> None:
    # Against the clock, not `now`: a back-dated post cannot reach a hidden discussion.
    if not thread.is_visible:
        add_error(errors, "thread", THREAD_HIDDEN)
    elif not thread.is_open_at(now):
        add_error(errors, "thread", THREAD_CLOSED)


def comment_post(
    *,
    thread: Thread,
    body: str,
    parent: Comment | int | str | None = None,
    user: User | None = None,
    author_name: str = "",
    author_email: str = "",
    author_url: str = "",
    ip: str = "",
    user_agent: str = "",
    notify: bool = False,
    honeypot: str = "",
    form_age_seconds: float | None = None,
    context_keys: tuple[str, ...] = (),
    form_token_valid: bool | None = None,
    now: datetime | None = None,
) -> CommentPosted:
    """Judge and store a reader's comment or reply; raise ValidationError keyed by field."""
    now = now or timezone.now()
    errors: Errors = {}
    if user is not None and not user.is_authenticated:
        user = None
    body = body_clean(body, errors)
    if user is None:
        author_name, author_email, author_url = guest_clean(
            name=author_name, email=author_email, url=author_url, errors=errors
        )
    else:
        author_name = ""
        author_email = user.email or ""
        author_url = url_clean(author_url, errors)
    _thread_check(thread, now, errors)
    parent_obj = parent_resolve(thread=thread, parent=parent, errors=errors)
    raise_errors(errors)

    hashed_ip = ip_hash(ip)
    history = author_history(user=user, email=author_email)
    verdict = judge(
        Submission(
            text=body,
            author_name=author_name or (user.public_name if user else ""),
            author_email=author_email,
            author_url=author_url,
            user_id=user.pk if user else None,
            ip_hash=hashed_ip,
            user_agent=user_agent[:USER_AGENT_MAX],
            context_keys=policy_keys(thread, extra=context_keys),
            identity_verified=user is not None,
            is_staff=bool(user and user.is_staff),
            honeypot=honeypot,
            form_age_seconds=form_age_seconds,
            form_token_valid=form_token_valid,
            author_approved_count=history["approved"] or 0,
            author_rejected_count=history["rejected"] or 0,
            is_first_comment=history["total"] == 0,
        ),
        # Counted below, in the transaction that stores the comment: one write, not two.
        defer_rate_counts=True,
    )
    fingerprint = _submit_fingerprint(
        thread_id=thread.pk, parent=parent_obj, user=user, email=author_email, body=body
    )
    if verdict.decision == Decision.REJECT:
        # A second click on a comment stored a moment ago meets the duplicate rule or the rate
        # limit: it gets the stored comment back, not a refusal. Refusals are rare, so the look
        # costs the common path nothing.
        existing = _double_submit(fingerprint=fingerprint, body=body, now=now)
        if existing is not None:
            return CommentPosted(comment=existing, created=False, stored=True)
    if not verdict.stored:
        # Too fast or a bot trap: nothing is stored; the caller shows the form again, text intact.
        # The attempt still counts against the author's limits.
        with transaction.atomic():
            verdict_rates_count(verdict, now=now.timestamp())
        return _not_stored(verdict)
    status = STATUS_FOR_DECISION[verdict.decision]
    approved = status == Comment.Status.APPROVED
    with transaction.atomic():
        # The rate counts first: the author's counter rows line up their own racing posts.
        too_fast = verdict_rates_count(verdict, now=now.timestamp())
        if too_fast is not None:
            # Another post by the same author got in first.
            return _not_stored(too_fast)
        locked = copy.copy(thread)
        # Against the clock for visibility: a back-dated post cannot reach a hidden discussion.
        if not thread_claim(
            locked,
            approved=approved,
            top_level=parent_obj is None,
            visible_at=timezone.now(),
            open_at=now,
        ):
            _thread_refuse(thread.pk)
        # Under the thread's lock, so two racing submits of one text store one comment.
        existing = _double_submit(fingerprint=fingerprint, body=body, now=now)
        if existing is not None:
            # The same comment again: nothing of this attempt is kept, its count included.
            transaction.set_rollback(True)
            return CommentPosted(comment=existing, created=False, stored=True)
        comment = comment_place(
            thread=locked,
            parent=parent_obj,
            status=status,
            fields={
                "user": user,
                "author_name": author_name,
                "author_email": author_email,
                "author_url": author_url,
                "body": body,
                "created_at": now,
                "ip_hash": hashed_ip,
                "user_agent": user_agent[:USER_AGENT_MAX],
                "verdict": verdict.as_dict(),
                "submit_fingerprint": fingerprint,
                # Published at once: subscribers are told of it once, claimed by this INSERT.
                "notified_at": now if approved else None,
            },
        )
        confirm_sent = False
        if notify and status != Comment.Status.REJECTED:
            confirm_sent = subscription_request(thread=locked, email=author_email, user=user)
        verdict_record(object_key=f"comment:{comment.pk}", verdict=verdict)
        subscribers_notify_new(comment)
    thread_copy_counters(thread, locked)
    COMMENTS_POSTED.labels(verdict=str(verdict.decision)).inc()
    return CommentPosted(
        comment=comment,
        created=True,
        stored=True,
        reader_message=verdict.reader_message(),
        retry_after=verdict.retry_after_seconds,
        subscription_pending=confirm_sent,
    )
