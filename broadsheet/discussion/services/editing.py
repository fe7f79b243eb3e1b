"""Changing a comment's text: the author within the edit window, staff at any time; deleting."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from broadsheet.core.text import render_comment_markdown
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.permissions import (
    NotCommentAuthor,
    can_moderate,
    comment_can_change,
    moderator_require,
)
from broadsheet.discussion.services._bookkeeping import status_set, thread_version_bump
from broadsheet.discussion.services._referee import STATUS_FOR_DECISION, policy_keys
from broadsheet.discussion.services._validation import (
    NAME_MAX,
    Errors,
    add_error,
    body_clean,
    raise_errors,
    url_clean,
)
from broadsheet.moderation.judge import judge
from broadsheet.moderation.services import audit_log, verdict_record
from broadsheet.moderation.verdicts import Submission

if TYPE_CHECKING:
    from broadsheet.accounts.models import User

CLOSED_STATUSES = (Comment.Status.DELETED, Comment.Status.REJECTED, Comment.Status.SPAM)


def comment_edit_deadline(comment: Comment) -> datetime:
    """The moment the author's edit window closes."""
    return comment.created_at + timedelta(minutes=settings.COMMENT_EDIT_MINUTES)


def _text_replace(
    comment: Comment, *, body: str, now: datetime, verified: bool, staff: bool, note: str
) -> None:
    """Judge new text again and store it, marked edited; the caller holds the thread's lock."""
    verdict = judge(
        Submission(
            text=body,
            author_name=comment.display_name,
            author_email=comment.author_email,
            author_url=comment.author_url,
            user_id=comment.user_id,
            ip_hash=comment.ip_hash,
            user_agent=comment.user_agent,
            context_keys=policy_keys(comment.thread),
            identity_verified=verified,
            is_edit=True,
            is_staff=staff,
        )
    )
    comment.body = body
    comment.body_html = render_comment_markdown(body)
    comment.edited_at = now
    comment.verdict = verdict.as_dict()
    comment.save(update_fields=["body", "body_html", "edited_at", "verdict"])
    verdict_record(object_key=f"comment:{comment.pk}", verdict=verdict, note=note)
    new_status = STATUS_FOR_DECISION[verdict.decision]
    # An edit can make a published comment wait again, never publish a held one.
    if comment.status == Comment.Status.APPROVED and new_status != Comment.Status.APPROVED:
        status_set(comment, new_status)
    else:
        thread_version_bump(comment.thread_id)


def comment_edit(
    *,
    comment: Comment,
    body: str,
    token: str | None = None,
    user: User | None = None,
    now: datetime | None = None,
) -> Comment:
    """Let the author change a comment's text within the edit window; the referee judges again."""
    now = now or timezone.now()
    is_moderator = can_moderate(user)
    if not comment_can_change(comment=comment, token=token, user=user):
        raise NotCommentAuthor("Only the comment's author may edit it.")
    errors: Errors = {}
    body = body_clean(body, errors)
    if comment.status in CLOSED_STATUSES:
        add_error(errors, "body", "This comment can no longer be edited.")
    elif not is_moderator and not comment.thread.is_visible:
        add_error(errors, "body", "This discussion is not available.")
    elif not is_moderator and now > comment_edit_deadline(comment):
        add_error(
            errors,
            "body",
            f"Comments can be edited for {settings.COMMENT_EDIT_MINUTES} minutes after posting.",
        )
    raise_errors(errors)
    if body == comment.body:
        return comment
    with transaction.atomic():
        Thread.objects.select_for_update().get(pk=comment.thread_id)
        comment.refresh_from_db()
        _text_replace(
            comment,
            body=body,
            now=now,
            verified=bool(user and user.is_authenticated),
            staff=is_moderator,
            note="edited",
        )
    return comment


def comment_staff_edit(
    *,
    comment: Comment,
    actor: User,
    body: str,
    author_name: str,
    author_url: str,
    now: datetime | None = None,
) -> Comment:
    """Let a moderator rewrite a comment (the admin): judged again, marked edited, audited."""
    moderator_require(actor)
    now = now or timezone.now()
    errors: Errors = {}
    body = body_clean(body, errors)
    author_name = " ".join((author_name or "").split())
    if len(author_name) > NAME_MAX:
        add_error(errors, "author_name", f"Please keep the name under {NAME_MAX} characters.")
    author_url = url_clean(author_url, errors)
    if comment.status == Comment.Status.DELETED:
        add_error(errors, "body", "The author deleted this comment.")
    raise_errors(errors)
    with transaction.atomic():
        Thread.objects.select_for_update().get(pk=comment.thread_id)
        comment.refresh_from_db()
        changed = []
        if (author_name, author_url) != (comment.author_name, comment.author_url):
            comment.author_name, comment.author_url = author_name, author_url
            comment.save(update_fields=["author_name", "author_url"])
            changed.append("author")
        if body != comment.body:
            # The referee judges the author's words as they now stand; no staff waiver applies.
            _text_replace(
                comment,
                body=body,
                now=now,
                verified=comment.user_id is not None,
                staff=False,
                note="rewritten by staff",
            )
            changed.append("text")
        elif changed:
            thread_version_bump(comment.thread_id)
        if changed:
            audit_log(
                action="edit",
                actor=actor,
                object_key=f"comment:{comment.pk}",
                decision=comment.status,
                note=f"Staff changed the comment's {' and '.join(changed)}.",
            )
    return comment


def comment_delete(
    *, comment: Comment, token: str | None = None, user: User | None = None
) -> Comment:
    """Delete a comment for its author; one with replies stays as a tombstone keeping them."""
    if not comment_can_change(comment=comment, token=token, user=user):
        raise NotCommentAuthor("Only the comment's author may delete it.")
    with transaction.atomic():
        Thread.objects.select_for_update().get(pk=comment.thread_id)
        comment.refresh_from_db()
        if comment.status == Comment.Status.DELETED:
            return comment
        # The text is gone from every page; the source stays for the moderators' record.
        comment.body_html = ""
        status_set(comment, Comment.Status.DELETED)
    return comment
