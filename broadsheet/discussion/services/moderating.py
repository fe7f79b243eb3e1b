"""The moderators' decisions: status, approve/reject/spam, featuring, banning, removing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from broadsheet.core.effects import after_commit
from broadsheet.core.ids import pk_parse
from broadsheet.core.text import render_comment_markdown
from broadsheet.discussion.models import Comment, CommentFlag, Thread
from broadsheet.discussion.permissions import can_moderate, moderator_require
from broadsheet.discussion.services._bookkeeping import status_set, thread_version_bump
from broadsheet.discussion.services._effects import subscribers_notify_once
from broadsheet.discussion.services._validation import Errors, add_error, raise_errors
from broadsheet.discussion.services.editing import comment_delete
from broadsheet.discussion.services.threads import thread_recount
from broadsheet.moderation.models import Ban
from broadsheet.moderation.selectors import spam_model_due
from broadsheet.moderation.services import audit_log, ban_create, training_example_record
from broadsheet.moderation.tasks import spam_model_retrain

if TYPE_CHECKING:
    from broadsheet.accounts.models import User

MODERATION_ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "reject": Comment.Status.REJECTED,
    "spam": Comment.Status.SPAM,
}
# Ban lengths a moderator picks from; None is permanent.
BAN_DURATIONS: dict[str, timedelta | None] = {
    "1d": timedelta(days=1),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "permanent": None,
}
BAN_DURATION_LABELS = {"1d": "1 day", "7d": "7 days", "30d": "30 days", "permanent": "Permanent"}
BAN_TARGETS = ("user", "email", "ip")


def comment_status_set(
    *, comment: Comment, status: str, actor: User | None = None, notify: bool = True
) -> Comment:
    """Set a comment's moderation status (approve, reject, spam), keeping counters exact."""
    if status not in Comment.Status.values:
        raise ValidationError({"status": [f"Unknown status {status!r}."]})
    if actor is not None:
        moderator_require(actor)
    with transaction.atomic():
        Thread.objects.select_for_update().get(pk=comment.thread_id)
        comment.refresh_from_db()
        was_approved = comment.status == Comment.Status.APPROVED
        if status == Comment.Status.APPROVED and not comment.body_html and comment.body:
            comment.body_html = render_comment_markdown(comment.body)
        status_set(comment, status)
        if status == Comment.Status.APPROVED and not was_approved and notify:
            subscribers_notify_once(comment)
    return comment


def _resolve_flags(comment: Comment, now: datetime) -> int:
    resolved = CommentFlag.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=now
    )
    if comment.report_count:
        Comment.objects.filter(pk=comment.pk).update(report_count=0)
        comment.report_count = 0
    return resolved


def _spam_model_retrain_when_due() -> None:
    if spam_model_due():
        spam_model_retrain.enqueue()


def _spam_model_teach(comment: Comment, *, is_spam: bool) -> None:
    training_example_record(text=comment.body, is_spam=is_spam, object_key=f"comment:{comment.pk}")
    after_commit(_spam_model_retrain_when_due)


def _action_check(action: str) -> None:
    if action not in MODERATION_ACTIONS:
        raise ValidationError({"action": [f"Unknown action {action!r}."]})


def comment_moderate(
    *, comment: Comment, action: str, actor: User, note: str = "", now: datetime | None = None
) -> Comment:
    """Approve, reject or mark spam as a moderator: resolves reports, audits, teaches the model."""
    moderator_require(actor)
    _action_check(action)
    now = now or timezone.now()
    with transaction.atomic():
        Thread.objects.select_for_update().get(pk=comment.thread_id)
        comment.refresh_from_db()
        if comment.status == Comment.Status.DELETED:
            raise ValidationError({"comment": ["The author deleted this comment."]})
        previous = comment.status
        # Held by readers' reports, it was published before: subscribers already heard of it.
        republished = previous == Comment.Status.PENDING and comment.report_count > 0
        resolved = _resolve_flags(comment, now)
        comment_status_set(
            comment=comment,
            status=MODERATION_ACTIONS[action],
            actor=actor,
            notify=not republished,
        )
        if comment.review_imported:
            # A moderator has now looked at the imported comment: it leaves "Review imported".
            Comment.objects.filter(pk=comment.pk).update(review_imported=False)
            comment.review_imported = False
        if action != "approve" and comment.is_featured:
            Comment.objects.filter(pk=comment.pk).update(is_featured=False, featured_at=None)
            comment.is_featured, comment.featured_at = False, None
        extra = f" Resolved {resolved} report{'s' if resolved != 1 else ''}." if resolved else ""
        audit_log(
            action=action,
            actor=actor,
            object_key=f"comment:{comment.pk}",
            decision=MODERATION_ACTIONS[action],
            note=(note.strip() + f" (was {previous}).{extra}").strip(),
        )
        if action in ("approve", "spam"):
            _spam_model_teach(comment, is_spam=action == "spam")
    return comment


def comments_moderate(
    *, comment_ids: Iterable[object], action: str, actor: User, note: str = ""
) -> list[Comment]:
    """Apply one moderation action to many comments at once, all or nothing."""
    moderator_require(actor)
    ids = sorted({pk for pk in map(pk_parse, comment_ids) if pk is not None})
    if not ids:
        raise ValidationError({"comments": ["Select at least one comment."]})
    _action_check(action)
    with transaction.atomic():
        comments = list(Comment.objects.filter(pk__in=ids).exclude(status=Comment.Status.DELETED))
        return [
            comment_moderate(comment=c, action=action, actor=actor, note=note) for c in comments
        ]


def comment_feature(
    *, comment: Comment, actor: User, featured: bool = True, note: str = ""
) -> Comment:
    """Feature a published comment above its thread, or stop featuring it."""
    moderator_require(actor)
    with transaction.atomic():
        Thread.objects.select_for_update().get(pk=comment.thread_id)
        comment.refresh_from_db()
        if featured and comment.status != Comment.Status.APPROVED:
            raise ValidationError({"comment": ["Only a published comment can be featured."]})
        if comment.is_featured == featured:
            return comment
        comment.is_featured = featured
        comment.featured_at = timezone.now() if featured else None
        comment.save(update_fields=["is_featured", "featured_at"])
        thread_version_bump(comment.thread_id)
        audit_log(
            action="feature" if featured else "unfeature",
            actor=actor,
            object_key=f"comment:{comment.pk}",
            note=note.strip(),
        )
    return comment


def comment_author_ban(
    *,
    comment: Comment,
    actor: User,
    duration: str,
    targets: Iterable[str] = BAN_TARGETS,
    note: str = "",
) -> Ban:
    """Ban a comment's author (account, email and/or hashed IP) through the referee's bans."""
    moderator_require(actor)
    errors: Errors = {}
    if duration not in BAN_DURATIONS:
        add_error(errors, "duration", "Choose 1 day, 7 days, 30 days or permanent.")
    targets = set(targets)
    user = comment.user if "user" in targets and comment.user_id else None
    email = comment.author_email if "email" in targets else ""
    hashed_ip = comment.ip_hash if "ip" in targets else ""
    if user is None and not email and not hashed_ip:
        add_error(
            errors, "targets", "This author has no account, email or address on record to ban."
        )
    if user is not None and can_moderate(user):
        add_error(errors, "targets", "Staff who moderate cannot be banned here.")
    raise_errors(errors)
    return ban_create(
        actor=actor,
        user=user,
        email=email,
        ip_hash=hashed_ip,
        duration=BAN_DURATIONS[duration],
        reason=(note.strip() or f"From comment {comment.pk}.")[:300],
        object_key=f"comment:{comment.pk}",
    )


def comment_remove(*, comment: Comment, actor: User) -> Comment | None:
    """Remove a comment as staff: a tombstone when it has replies, else gone; audited either way.

    Returns the tombstone, or None when the row was deleted.
    """
    moderator_require(actor)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=comment.thread_id)
        if comment.children.exists():
            comment_delete(comment=comment, user=actor)
            audit_log(
                action="delete",
                actor=actor,
                object_key=f"comment:{comment.pk}",
                note="Deleted by staff; kept as a tombstone for its replies.",
            )
            return comment
        audit_log(
            action="delete",
            actor=actor,
            object_key=f"comment:{comment.pk}",
            note="Deleted by staff.",
        )
        comment.delete()
        # A hard delete still leaves the thread's counters and its ancestors' counts exact.
        thread_recount(thread=thread)
    return None
