"""Readers' reports: one per reader, and enough of them send a comment back to the queue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from broadsheet.core import ratelimit
from broadsheet.discussion.models import Comment, CommentFlag, Thread
from broadsheet.discussion.services._bookkeeping import status_set
from broadsheet.discussion.services._validation import Errors, add_error, raise_errors
from broadsheet.moderation.services import audit_log

if TYPE_CHECKING:
    from broadsheet.accounts.models import User

REPORT_NOTE_MAX = 500


def _network_limit_check(*, comment: Comment, reporter_key: str, ip_hash: str) -> None:
    """Refuse a network that has sent too many reports; a repeated report is not counted."""
    repeated = CommentFlag.objects.filter(
        comment=comment, reporter_key=reporter_key, kind=CommentFlag.Kind.REPORT
    ).exists()
    if not ip_hash or repeated:
        return
    # One network cannot hide the discussion by clearing cookies between reports.
    limit, window = ratelimit.parse_limit("COMMENT_REPORT_RATE", settings.COMMENT_REPORT_RATE)
    hit = ratelimit.hit(f"report-ip:{ratelimit.key_part(ip_hash)}", limit, window)
    if hit.exceeded:
        message = ratelimit.too_fast_message(doing="reporting", retry_after=hit.retry_after)
        raise ValidationError({"reason": [message]})


def comment_report(
    *,
    comment: Comment,
    reporter_key: str,
    reason: str,
    note: str = "",
    user: User | None = None,
    ip_hash: str = "",
) -> tuple[CommentFlag, bool]:
    """Record one reader's report; enough of them hold a published comment for a moderator.

    Returns (flag, created): a reader who reports the same comment again gets their first
    report back and nothing is counted twice.
    """
    errors: Errors = {}
    if reason not in CommentFlag.Reason.values:
        add_error(errors, "reason", "Please choose why you are reporting this comment.")
    note = " ".join((note or "").split())
    if len(note) > REPORT_NOTE_MAX:
        add_error(errors, "note", f"Please keep the note under {REPORT_NOTE_MAX} characters.")
    if not reporter_key:
        add_error(errors, "reporter", "We could not tell who is reporting.")
    raise_errors(errors)
    if user is not None and not user.is_authenticated:
        user = None
    _network_limit_check(comment=comment, reporter_key=reporter_key, ip_hash=ip_hash)
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=comment.thread_id)
        comment.refresh_from_db()
        existing = CommentFlag.objects.filter(
            comment=comment, reporter_key=reporter_key, kind=CommentFlag.Kind.REPORT
        ).first()
        if existing is not None:
            return existing, False
        if comment.status != Comment.Status.APPROVED or not locked.is_visible:
            raise ValidationError({"comment": ["This comment is no longer published."]})
        flag = CommentFlag.objects.create(
            comment=comment,
            reporter_key=reporter_key,
            user=user,
            reason=reason,
            note=note,
            ip_hash=ip_hash,
        )
        Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
        comment.refresh_from_db(fields=["report_count"])
        audit_log(
            action="report",
            actor=user,
            object_key=f"comment:{comment.pk}",
            decision=reason,
            note=note,
        )
        threshold = max(1, settings.COMMENT_REPORTS_TO_HOLD)
        reporters = _distinct_reporters(comment)
        if reporters >= threshold:
            status_set(comment, Comment.Status.PENDING)
            audit_log(
                action="held_by_reports",
                object_key=f"comment:{comment.pk}",
                decision="hold",
                note=(
                    f"{comment.report_count} reader reports from {reporters} distinct "
                    f"readers (threshold {threshold})."
                ),
            )
    return flag, True


def _distinct_reporters(comment: Comment) -> int:
    """Count the open reports' people: accounts, else networks, so fresh sessions add nothing."""
    who = set()
    rows = CommentFlag.objects.filter(
        comment=comment, kind=CommentFlag.Kind.REPORT, resolved_at__isnull=True
    ).values_list("user_id", "ip_hash", "reporter_key")
    for user_id, hashed_ip, reporter_key in rows:
        if user_id is not None:
            who.add(("user", user_id))
        elif hashed_ip:
            who.add(("ip", hashed_ip))
        else:
            who.add(("key", reporter_key))
    return len(who)
