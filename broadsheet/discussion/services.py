"""Every write to threads, comments and subscriptions: keyword-only, one transaction each."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from broadsheet.core.network import ip_hash
from broadsheet.core.text import render_comment_markdown
from broadsheet.discussion.models import (
    PATH_SEGMENT_WIDTH,
    Comment,
    CommentFlag,
    Subscription,
    Thread,
)
from broadsheet.discussion.querysets import listed_q
from broadsheet.discussion.security import comment_token_valid
from broadsheet.discussion.signals import comment_changed, comment_posted
from broadsheet.moderation import ratelimit
from broadsheet.moderation.judge import judge
from broadsheet.moderation.models import Ban
from broadsheet.moderation.selectors import spam_model_due
from broadsheet.moderation.services import (
    audit_log,
    ban_create,
    training_example_record,
    verdict_record,
)
from broadsheet.moderation.tasks import spam_model_retrain
from broadsheet.moderation.verdicts import Decision, Submission, Verdict

if TYPE_CHECKING:
    from broadsheet.accounts.models import User

logger = logging.getLogger(__name__)

# Two identical submissions this close together are one reader clicking twice.
DOUBLE_SUBMIT_SECONDS = 120
NAME_MAX = 100
URL_MAX = 300
# The widest address the email columns (and RFC 5321) allow.
EMAIL_MAX = 254
# The largest primary key a database's bigint holds; anything larger names no comment.
PK_MAX = 2**63 - 1
STATUS_FOR_DECISION = {
    Decision.ALLOW: Comment.Status.APPROVED,
    Decision.HOLD: Comment.Status.PENDING,
    Decision.REJECT: Comment.Status.REJECTED,
}


# Threads -----------------------------------------------------------------------------------


def _closes_at(published_at: datetime | None) -> datetime | None:
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if not days or published_at is None:
        return None
    return published_at + timedelta(days=days)


def thread_get_or_create(
    *,
    key: str,
    url: str = "",
    title: str = "",
    published_at: datetime | None = None,
    closed: bool | None = None,
    visible_from: datetime | None | object = ...,
    context_keys: Iterable[str] = (),
) -> Thread:
    """Return the thread for key, creating it once; an existing thread is never changed here.

    Reading a page must not write: a moderator's closure stays until the owner syncs it.
    """
    thread = Thread.objects.filter(key=key).first()
    if thread is not None:
        return thread
    wanted: dict[str, Any] = {
        "url": url[:500],
        "title": title[:300],
        "closes_at": _closes_at(published_at),
        "context_keys": list(context_keys),
    }
    if closed is not None:
        wanted.update(is_closed=closed, closed_by_page=closed)
    if visible_from is not ...:
        wanted["visible_from"] = visible_from
    with transaction.atomic():
        thread, _created = Thread.objects.get_or_create(key=key, defaults=wanted)
    return thread


def thread_sync(
    *,
    key: str,
    url: str,
    title: str,
    published_at: datetime | None,
    comments_enabled: bool,
    visible: bool,
    context_keys: Iterable[str] = (),
) -> Thread:
    """Bring a page's thread in line with the page after its owner saved it (not on reads).

    visible says whether the page is published or scheduled; it shows from published_at on.
    Turning comments off closes the thread; turning them on reopens it only if the page
    had closed it, so a moderator's closure is kept.
    """
    visible_from = (published_at or timezone.now()) if visible else None
    wanted: dict[str, Any] = {
        "url": url[:500],
        "title": title[:300],
        "closes_at": _closes_at(published_at),
        "visible_from": visible_from,
        "context_keys": list(context_keys),
    }
    with transaction.atomic():
        thread, created = Thread.objects.select_for_update().get_or_create(
            key=key,
            defaults={
                **wanted,
                "is_closed": not comments_enabled,
                "closed_by_page": not comments_enabled,
            },
        )
        if created:
            return thread
        if not comments_enabled:
            wanted.update(is_closed=True, closed_by_page=True)
        elif thread.closed_by_page:
            wanted.update(is_closed=False, closed_by_page=False)
        changed = {name: v for name, v in wanted.items() if getattr(thread, name) != v}
        if changed:
            Thread.objects.filter(pk=thread.pk).update(**changed, version=F("version") + 1)
            thread.refresh_from_db()
    return thread


def thread_close(*, thread: Thread, closed: bool = True) -> Thread:
    """Close or reopen a thread to new comments."""
    # A moderator's decision: a later save of the page does not undo it.
    Thread.objects.filter(pk=thread.pk).update(
        is_closed=closed, closed_by_page=False, version=F("version") + 1
    )
    thread.refresh_from_db()
    return thread


def thread_recount(*, thread: Thread) -> Thread:
    """Recompute a thread's stored counters and every comment's descendant count exactly."""
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        rows = list(thread.comments.order_by("path").values_list("pk", "path", "status"))
        counts: dict[str, int] = {}
        width = PATH_SEGMENT_WIDTH
        for _pk, path, status in rows:
            if status == Comment.Status.APPROVED:
                # Credit every proper ancestor, found by the path's prefixes.
                for end in range(width, len(path), width):
                    counts[path[:end]] = counts.get(path[:end], 0) + 1
        changed = []
        for pk, path, _status in rows:
            changed.append(Comment(pk=pk, descendant_count=counts.get(path, 0)))
        Comment.objects.bulk_update(changed, ["descendant_count"], batch_size=500)
        _thread_counters_refresh(thread)
    return thread


def _thread_counters_refresh(thread: Thread) -> None:
    comments = Comment.objects.filter(thread=thread)
    Thread.objects.filter(pk=thread.pk).update(
        comment_count=comments.filter(status=Comment.Status.APPROVED).count(),
        top_level_count=comments.filter(listed_q(), depth=0).count(),
        version=F("version") + 1,
    )
    thread.refresh_from_db()


# Validation --------------------------------------------------------------------------------


def pk_parse(value: object) -> int | None:
    """Return a database id from user input, or None for anything that cannot name a row."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        # str.isdigit() accepts "²" and other digits int() refuses: ASCII digits only.
        if not (text.isascii() and text.isdigit()) or len(text) > 19:
            return None
        number = int(text)
    else:
        return None
    return number if 0 < number <= PK_MAX else None


def _clean_body(body: str, errors: dict[str, list[str]]) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    limit = settings.COMMENT_MAX_LENGTH
    if not body:
        errors.setdefault("body", []).append("Please write a comment.")
    elif len(body) > limit:
        errors.setdefault("body", []).append(
            f"Your comment is {len(body):,} characters long; the limit is {limit:,}."
        )
    return body


def _clean_guest(
    *, name: str, email: str, url: str, errors: dict[str, list[str]]
) -> tuple[str, str, str]:
    name = " ".join((name or "").split())
    email = (email or "").strip()
    url = (url or "").strip()
    if not name:
        errors.setdefault("author_name", []).append("Please give your name.")
    elif len(name) > NAME_MAX:
        errors.setdefault("author_name", []).append(
            f"Please keep your name under {NAME_MAX} characters."
        )
    if not email:
        errors.setdefault("author_email", []).append("Please give your email address.")
    elif len(email) > EMAIL_MAX:
        errors.setdefault("author_email", []).append(
            f"Please give an email address of at most {EMAIL_MAX} characters."
        )
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("author_email", []).append(
                "Please give a valid email address, like name@example.com."
            )
    url = _clean_url(url, errors)
    return name, email, url


def _clean_url(url: str, errors: dict[str, list[str]]) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = f"https://{url}"
    try:
        URLValidator(schemes=["http", "https"])(url)
        if len(url) > URL_MAX:
            raise ValidationError("too long")
    except ValidationError:
        errors.setdefault("author_url", []).append(
            "Please give a valid web address, like https://example.com, or leave it empty."
        )
    return url


def _safe_url(url: str) -> str:
    """Keep an imported website only when it is a valid http(s) address; never fail on it."""
    errors: dict[str, list[str]] = {}
    cleaned = _clean_url(url, errors)
    return "" if errors else cleaned


def _resolve_parent(
    *, thread: Thread, parent: Comment | int | str | None, errors: dict[str, list[str]]
) -> Comment | None:
    if parent in (None, ""):
        return None
    if not isinstance(parent, Comment):
        pk = pk_parse(parent)
        parent = Comment.objects.filter(pk=pk).first() if pk is not None else None
        if parent is None:
            errors.setdefault("parent", []).append(
                "The comment you are replying to does not exist."
            )
            return None
    if parent.thread_id != thread.pk:
        errors.setdefault("parent", []).append(
            "The comment you are replying to belongs to another discussion."
        )
        return None
    if parent.status != Comment.Status.APPROVED:
        errors.setdefault("parent", []).append(
            "The comment you are replying to is not open to replies."
        )
        return None
    # Replies below the deepest level attach at the deepest level, beside their parent.
    max_depth = max(1, settings.COMMENT_MAX_DEPTH)
    while parent is not None and parent.depth >= max_depth - 1:
        parent = parent.parent
    return parent


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# Writing comments ----------------------------------------------------------------------


def _insert(
    *,
    thread: Thread,
    parent: Comment | None,
    status: str,
    fields: dict[str, Any],
) -> Comment:
    """Place a comment in the tree and bump counters; the caller holds the thread's lock."""
    seq = thread.last_seq + 1
    segment = f"{seq:0{PATH_SEGMENT_WIDTH}d}"
    comment = Comment(
        thread=thread,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        path=(parent.path if parent else "") + segment,
        depth=(parent.depth + 1) if parent else 0,
        seq=seq,
        status=status,
        body_html=render_comment_markdown(fields["body"]),
        **fields,
    )
    comment.save(force_insert=True)
    approved = status == Comment.Status.APPROVED
    Thread.objects.filter(pk=thread.pk).update(
        last_seq=F("last_seq") + 1,
        version=F("version") + 1,
        comment_count=F("comment_count") + (1 if approved else 0),
        top_level_count=F("top_level_count") + (1 if approved and parent is None else 0),
    )
    if approved and parent is not None:
        Comment.objects.filter(thread=thread, path__in=_ancestor_paths(comment.path)).update(
            descendant_count=F("descendant_count") + 1
        )
    thread.refresh_from_db(fields=["last_seq", "version", "comment_count", "top_level_count"])
    return comment


def _ancestor_paths(path: str) -> list[str]:
    width = PATH_SEGMENT_WIDTH
    return [path[:end] for end in range(width, len(path), width)]


def _subscribe(*, thread: Thread, email: str, user: User | None) -> bool:
    """Subscribe an account's own address at once; a typed address only once it is confirmed.

    Returns whether a confirmation email is on its way.
    """
    if not email:
        return False
    email = email.lower()
    verified = user is not None and (user.email or "").lower() == email
    if verified:
        now = timezone.now()
        subscription, created = Subscription.objects.get_or_create(
            thread=thread,
            email=email,
            defaults={"user": user, "is_active": True, "confirmed_at": now},
        )
        if not created and not subscription.is_active:
            Subscription.objects.filter(pk=subscription.pk).update(
                is_active=True, confirmed_at=now, user=user
            )
        return False
    # Anyone can type any address: nothing is sent to it but one confirmation link.
    subscription, _created = Subscription.objects.get_or_create(
        thread=thread, email=email, defaults={"user": None, "is_active": False}
    )
    if subscription.is_active:
        return False

    def send() -> None:
        from broadsheet.discussion.tasks import subscription_confirm_task

        subscription_confirm_task.enqueue(subscription_id=subscription.pk)

    transaction.on_commit(send, robust=True)
    return True


def _after_commit_posted(comment: Comment) -> None:
    # Claimed in the caller's transaction: subscribers hear of a comment once, whatever happens
    # to it later (held by reports and approved again, rejected then approved).
    notify = comment.status == Comment.Status.APPROVED and bool(
        Comment.objects.filter(pk=comment.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
    )

    def effects() -> None:
        comment_posted.send(sender=Comment, comment=comment)
        if notify:
            from broadsheet.discussion.tasks import comment_notify_task

            comment_notify_task.enqueue(comment_id=comment.pk)

    # robust: a failing side effect is logged, never turned into an error for a stored comment.
    transaction.on_commit(effects, robust=True)


def _double_submit(
    *, thread: Thread, parent: Comment | None, body: str, user: User | None, email: str, now
) -> Comment | None:
    recent = Comment.objects.filter(
        thread=thread,
        parent=parent,
        body=body,
        status__in=(Comment.Status.APPROVED, Comment.Status.PENDING),
        created_at__gte=now - timedelta(seconds=DOUBLE_SUBMIT_SECONDS),
    )
    if user is not None:
        recent = recent.filter(user=user)
    else:
        recent = recent.filter(user__isnull=True, author_email__iexact=email)
    return recent.order_by("pk").first()


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
) -> Comment:
    """Judge and store a reader's comment or reply; raise ValidationError keyed by field."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if user is not None and not user.is_authenticated:
        user = None
    body = _clean_body(body, errors)
    if user is None:
        author_name, author_email, author_url = _clean_guest(
            name=author_name, email=author_email, url=author_url, errors=errors
        )
    else:
        author_name = ""
        author_email = user.email or ""
        author_url = _clean_url(author_url, errors)
    # Against the clock, not `now`: a back-dated post cannot reach a hidden discussion.
    if not thread.is_visible:
        errors.setdefault("thread", []).append("This discussion is not available.")
    elif not thread.is_open_at(now):
        errors.setdefault("thread", []).append("Comments are closed on this page.")
    parent_obj = _resolve_parent(thread=thread, parent=parent, errors=errors)
    _raise(errors)

    existing = _double_submit(
        thread=thread, parent=parent_obj, body=body, user=user, email=author_email, now=now
    )
    if existing is not None:
        return existing

    hashed_ip = ip_hash(ip)
    history = _author_history(user=user, email=author_email)
    verdict = judge(
        Submission(
            text=body,
            author_name=author_name or (user.public_name if user else ""),
            author_email=author_email,
            author_url=author_url,
            user_id=user.pk if user else None,
            ip_hash=hashed_ip,
            user_agent=user_agent[:300],
            context_keys=_policy_keys(thread, extra=context_keys),
            identity_verified=user is not None,
            is_staff=bool(user and user.is_staff),
            honeypot=honeypot,
            form_age_seconds=form_age_seconds,
            form_token_valid=form_token_valid,
            author_approved_count=history["approved"],
            author_rejected_count=history["rejected"],
            is_first_comment=history["total"] == 0,
        )
    )
    status = STATUS_FOR_DECISION[verdict.decision]
    refused = _refused_unstored(verdict)
    if refused is not None:
        # Too fast or a bot trap: nothing is stored; the caller shows the form again, text intact.
        comment = Comment(
            thread=thread,
            parent=parent_obj,
            status=Comment.Status.REJECTED,
            user=user,
            author_name=author_name,
            author_email=author_email,
            author_url=author_url,
            body=body,
            created_at=now,
            verdict=verdict.as_dict(),
        )
        comment.reader_message = refused  # type: ignore[attr-defined]
        comment.retry_after_seconds = verdict.retry_after_seconds  # type: ignore[attr-defined]
        return comment

    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        # Checked again under the lock: two racing submits must still store one comment.
        existing = _double_submit(
            thread=locked, parent=parent_obj, body=body, user=user, email=author_email, now=now
        )
        if existing is not None:
            return existing
        if not locked.is_visible:
            raise ValidationError({"thread": ["This discussion is not available."]})
        if not locked.is_open_at(now):
            raise ValidationError({"thread": ["Comments are closed on this page."]})
        comment = _insert(
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
                "user_agent": user_agent[:300],
                "verdict": verdict.as_dict(),
            },
        )
        confirm_sent = False
        if notify and status != Comment.Status.REJECTED:
            confirm_sent = _subscribe(thread=locked, email=author_email, user=user)
        verdict_record(object_key=f"comment:{comment.pk}", verdict=verdict)
        _after_commit_posted(comment)
    _sync_thread(thread, locked)
    # Not stored, and set only on a newly written comment (a double submit returns the stored
    # one without it): plain words for the author about a held or refused comment.
    comment.reader_message = _reader_message(verdict)  # type: ignore[attr-defined]
    # For the page to say "check your inbox to confirm the notifications".
    comment.subscription_pending = confirm_sent  # type: ignore[attr-defined]
    return comment


# Refusals that store no row: a person resubmits these, and bots should leave no trace.
UNSTORED_RULES = frozenset({"rate_limit", "honeypot", "form_age"})


def wait_words(seconds: int) -> str:
    """Say a wait in plain words: '45 seconds', '1 minute', '12 minutes'."""
    seconds = max(1, int(seconds))
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes"


def _refused_unstored(verdict: Verdict) -> str | None:
    """Return the reader's message when the verdict refuses without storing, else None."""
    if verdict.decision != Decision.REJECT:
        return None
    fired = {r.rule for r in verdict.reasons if r.decision == Decision.REJECT}
    if not fired & UNSTORED_RULES:
        return None
    if verdict.retry_after_seconds:
        return (
            "You are commenting too quickly. Please wait "
            f"{wait_words(verdict.retry_after_seconds)} before commenting again; "
            "your text has been kept."
        )
    if "form_age" in fired and "honeypot" not in fired:
        return "That was quicker than we expected. Please check your comment and submit it again."
    return "Sorry, this comment cannot be published."


def _reader_message(verdict: Verdict) -> str:
    message = getattr(verdict, "reader_message", None)
    if callable(message):
        return message()
    if verdict.decision == Decision.HOLD:
        return "Thank you. Your comment will appear once a moderator has reviewed it."
    if verdict.decision == Decision.REJECT:
        return "Sorry, this comment cannot be published."
    return ""


def _policy_keys(thread: Thread, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The thread's moderation policy keys, general to specific: owner's keys, then the thread."""
    keys = [*(thread.context_keys or []), *extra, f"thread-key:{thread.key}", f"thread:{thread.pk}"]
    return tuple(dict.fromkeys(str(key) for key in keys))


def _author_history(*, user: User | None, email: str) -> dict[str, int]:
    """Count the author's earlier comments for the referee's trust rules, in one query."""
    if user is not None:
        mine = Comment.objects.filter(user=user)
    elif email:
        mine = Comment.objects.filter(user__isnull=True, author_email__iexact=email)
    else:
        return {"approved": 0, "rejected": 0, "total": 0}
    return mine.aggregate(
        approved=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
        rejected=Count("pk", filter=Q(status__in=(Comment.Status.REJECTED, Comment.Status.SPAM))),
        total=Count("pk"),
    )


def _sync_thread(stale: Thread, fresh: Thread) -> None:
    for name in ("last_seq", "version", "comment_count", "top_level_count", "is_closed"):
        setattr(stale, name, getattr(fresh, name))


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
    if not import_key:
        raise ValidationError({"import_key": ["An imported comment needs its import key."]})
    existing = Comment.objects.filter(import_key=import_key).first()
    if existing is not None:
        return existing
    errors: dict[str, list[str]] = {}
    clean_body = (body or "").replace("\r\n", "\n").strip()
    if not clean_body:
        errors.setdefault("body", []).append("An imported comment needs a body.")
    if parent is not None and parent.thread_id != thread.pk:
        errors.setdefault("parent", []).append("The parent belongs to another thread.")
    _raise(errors)
    max_depth = max(1, settings.COMMENT_MAX_DEPTH)
    while parent is not None and parent.depth >= max_depth - 1:
        parent = parent.parent
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        existing = Comment.objects.filter(import_key=import_key).first()
        if existing is not None:
            return existing
        comment = _insert(
            thread=locked,
            parent=parent,
            status=Comment.Status.APPROVED,
            fields={
                "user": user,
                "author_name": " ".join((author_name or "").split())[:NAME_MAX],
                "author_email": (author_email or "").strip(),
                "author_url": _safe_url(author_url),
                "body": clean_body,
                "created_at": created_at or timezone.now(),
                "import_key": import_key,
                "verdict": {"decision": "allow", "reasons": [], "imported": True},
            },
        )
    _sync_thread(thread, locked)
    return comment


# Changing comments -------------------------------------------------------------------------


def comment_can_change(
    *, comment: Comment, token: str | None = None, user: User | None = None
) -> bool:
    """Whether the holder of token (or user) may edit or delete the comment."""
    if user is not None and user.is_authenticated:
        if user.has_perm("discussion.moderate_comments"):
            return True
        if comment.user_id == user.pk:
            return True
    return comment_token_valid(comment.pk, token)


def comment_edit_deadline(comment: Comment) -> datetime:
    """The moment the author's edit window closes."""
    return comment.created_at + timedelta(minutes=settings.COMMENT_EDIT_MINUTES)


def _set_status(comment: Comment, status: str) -> None:
    """Change status and recount what depends on it; the caller holds the thread's lock."""
    if comment.status == status:
        return
    comment.status = status
    comment.save(update_fields=["status", "body_html", "body", "edited_at"])
    paths = [*_ancestor_paths(comment.path)]
    for ancestor in Comment.objects.filter(thread_id=comment.thread_id, path__in=paths):
        count = Comment.objects.filter(
            thread_id=comment.thread_id,
            path__startswith=ancestor.path,
            status=Comment.Status.APPROVED,
        ).exclude(pk=ancestor.pk)
        Comment.objects.filter(pk=ancestor.pk).update(descendant_count=count.count())
    _thread_counters_refresh(comment.thread)


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
    is_moderator = bool(user and user.has_perm("discussion.moderate_comments"))
    if not comment_can_change(comment=comment, token=token, user=user):
        raise PermissionError("Only the comment's author may edit it.")
    errors: dict[str, list[str]] = {}
    body = _clean_body(body, errors)
    if comment.status in (Comment.Status.DELETED, Comment.Status.REJECTED, Comment.Status.SPAM):
        errors.setdefault("body", []).append("This comment can no longer be edited.")
    elif not is_moderator and not comment.thread.is_visible:
        errors.setdefault("body", []).append("This discussion is not available.")
    elif not is_moderator and now > comment_edit_deadline(comment):
        errors.setdefault("body", []).append(
            f"Comments can be edited for {settings.COMMENT_EDIT_MINUTES} minutes after posting."
        )
    _raise(errors)
    if body == comment.body:
        return comment
    verdict: Verdict = judge(
        Submission(
            text=body,
            author_name=comment.display_name,
            author_email=comment.author_email,
            author_url=comment.author_url,
            user_id=comment.user_id,
            ip_hash=comment.ip_hash,
            user_agent=comment.user_agent,
            context_keys=_policy_keys(comment.thread),
            identity_verified=bool(user and user.is_authenticated),
            is_edit=True,
            is_staff=is_moderator,
        )
    )
    with transaction.atomic():
        Thread.objects.select_for_update().get(pk=comment.thread_id)
        comment.refresh_from_db()
        comment.body = body
        comment.body_html = render_comment_markdown(body)
        comment.edited_at = now
        comment.verdict = verdict.as_dict()
        comment.save(update_fields=["body", "body_html", "edited_at", "verdict"])
        verdict_record(object_key=f"comment:{comment.pk}", verdict=verdict, note="edited")
        new_status = STATUS_FOR_DECISION[verdict.decision]
        # An edit can make a published comment wait again, never publish a held one.
        if comment.status == Comment.Status.APPROVED and new_status != Comment.Status.APPROVED:
            _set_status(comment, new_status)
        else:
            Thread.objects.filter(pk=comment.thread_id).update(version=F("version") + 1)
        transaction.on_commit(lambda: comment_changed.send(sender=Comment, comment=comment))
    return comment


def comment_delete(
    *, comment: Comment, token: str | None = None, user: User | None = None
) -> Comment:
    """Delete a comment for its author; one with replies stays as a tombstone keeping them."""
    if not comment_can_change(comment=comment, token=token, user=user):
        raise PermissionError("Only the comment's author may delete it.")
    with transaction.atomic():
        Thread.objects.select_for_update().get(pk=comment.thread_id)
        comment.refresh_from_db()
        if comment.status == Comment.Status.DELETED:
            return comment
        # The text is gone from every page; the source stays for the moderators' record.
        comment.body_html = ""
        _set_status(comment, Comment.Status.DELETED)
        transaction.on_commit(lambda: comment_changed.send(sender=Comment, comment=comment))
    return comment


def comment_status_set(
    *, comment: Comment, status: str, actor: User | None = None, notify: bool = True
) -> Comment:
    """Set a comment's moderation status (approve, reject, spam), keeping counters exact."""
    if status not in Comment.Status.values:
        raise ValidationError({"status": [f"Unknown status {status!r}."]})
    if actor is not None and not actor.has_perm("discussion.moderate_comments"):
        raise PermissionError("Only moderators may change a comment's status.")
    with transaction.atomic():
        Thread.objects.select_for_update().get(pk=comment.thread_id)
        comment.refresh_from_db()
        was_approved = comment.status == Comment.Status.APPROVED
        if status == Comment.Status.APPROVED and not comment.body_html and comment.body:
            comment.body_html = render_comment_markdown(comment.body)
        _set_status(comment, status)
        if status == Comment.Status.APPROVED and not was_approved and notify:
            _after_commit_posted(comment)
        else:
            transaction.on_commit(lambda: comment_changed.send(sender=Comment, comment=comment))
    return comment


# Subscriptions -----------------------------------------------------------------------------


def subscription_confirm(*, subscription: Subscription) -> Subscription:
    """Start emailing a subscriber who followed the confirmation link sent to their address."""
    now = timezone.now()
    Subscription.objects.filter(pk=subscription.pk).update(is_active=True, confirmed_at=now)
    subscription.is_active, subscription.confirmed_at = True, now
    return subscription


def subscription_cancel(*, subscription: Subscription) -> Subscription:
    """Stop emailing this subscriber about the thread."""
    Subscription.objects.filter(pk=subscription.pk).update(is_active=False)
    subscription.is_active = False
    return subscription


# Bulk import -------------------------------------------------------------------------------


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
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        if item.parent is not None and not 0 <= item.parent < index:
            errors.setdefault("parent", []).append(
                f"Item {index} names parent {item.parent}, which does not come before it."
            )
    _raise(errors)
    max_depth = max(1, settings.COMMENT_MAX_DEPTH)
    now = timezone.now()
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        seq = locked.last_seq
        built: list[Comment] = []
        for item in items:
            parent = built[item.parent] if item.parent is not None else None
            while parent is not None and parent.depth >= max_depth - 1:
                parent = parent.parent
            seq += 1
            built.append(
                Comment(
                    thread=locked,
                    parent=parent,
                    path=(parent.path if parent else "") + f"{seq:0{PATH_SEGMENT_WIDTH}d}",
                    depth=(parent.depth + 1) if parent else 0,
                    seq=seq,
                    status=Comment.Status.APPROVED,
                    author_name=item.author_name[:NAME_MAX],
                    author_email=item.author_email,
                    author_url=_safe_url(item.author_url),
                    body=item.body,
                    body_html=render_comment_markdown(item.body),
                    created_at=item.created_at or now,
                    import_key=item.import_key,
                    verdict={"decision": "allow", "reasons": [], "imported": True},
                )
            )
        # Insert level by level so every parent has its id before its replies point at it.
        for depth in range(max_depth):
            level = [c for c in built if c.depth == depth]
            for comment in level:
                if comment.parent is not None:
                    comment.parent_id = comment.parent.pk
                    comment.root_id = comment.parent.root_id or comment.parent.pk
            Comment.objects.bulk_create(level, batch_size=500)
        Thread.objects.filter(pk=locked.pk).update(last_seq=seq)
        fresh = thread_recount(thread=locked)
    _sync_thread(thread, fresh)
    return built


# Readers' reports ----------------------------------------------------------------------------

REPORT_NOTE_MAX = 500
# Reports one network may send an hour: enough for a household, too few to hide a discussion.
REPORTS_PER_IP_PER_HOUR = 30


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
    errors: dict[str, list[str]] = {}
    if reason not in CommentFlag.Reason.values:
        errors.setdefault("reason", []).append("Please choose why you are reporting this comment.")
    note = " ".join((note or "").split())
    if len(note) > REPORT_NOTE_MAX:
        errors.setdefault("note", []).append(
            f"Please keep the note under {REPORT_NOTE_MAX} characters."
        )
    if not reporter_key:
        errors.setdefault("reporter", []).append("We could not tell who is reporting.")
    _raise(errors)
    if user is not None and not user.is_authenticated:
        user = None
    if (
        ip_hash
        and not CommentFlag.objects.filter(
            comment=comment, reporter_key=reporter_key, kind=CommentFlag.Kind.REPORT
        ).exists()
    ):
        # One network cannot hide the discussion by clearing cookies between reports.
        hit = ratelimit.hit(
            f"report-ip:{ratelimit.key_part(ip_hash)}", REPORTS_PER_IP_PER_HOUR, 3600
        )
        if hit.exceeded:
            raise ValidationError(
                {
                    "reason": [
                        "You have sent many reports from this network. Please wait "
                        f"{wait_words(hit.retry_after)} before reporting again."
                    ]
                }
            )
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
            _set_status(comment, Comment.Status.PENDING)
            audit_log(
                action="held_by_reports",
                object_key=f"comment:{comment.pk}",
                decision="hold",
                note=(
                    f"{comment.report_count} reader reports from {reporters} distinct "
                    f"readers (threshold {threshold})."
                ),
            )
            transaction.on_commit(lambda: comment_changed.send(sender=Comment, comment=comment))
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


# The staff queue -----------------------------------------------------------------------------

MODERATE_PERMISSION = "discussion.moderate_comments"
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


def moderator_check(actor: User | None) -> None:
    """Refuse anyone without the moderate_comments permission (editors included)."""
    if actor is None or not actor.is_authenticated or not actor.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied("Only moderators may moderate comments.")


def _resolve_flags(comment: Comment, now: datetime) -> int:
    resolved = CommentFlag.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=now
    )
    if comment.report_count:
        Comment.objects.filter(pk=comment.pk).update(report_count=0)
        comment.report_count = 0
    return resolved


def _spam_model_teach(comment: Comment, *, is_spam: bool) -> None:
    training_example_record(text=comment.body, is_spam=is_spam, object_key=f"comment:{comment.pk}")

    def retrain_when_due() -> None:
        if spam_model_due():
            spam_model_retrain.enqueue()

    transaction.on_commit(retrain_when_due, robust=True)


def comment_moderate(
    *, comment: Comment, action: str, actor: User, note: str = "", now: datetime | None = None
) -> Comment:
    """Approve, reject or mark spam as a moderator: resolves reports, audits, teaches the model."""
    moderator_check(actor)
    if action not in MODERATION_ACTIONS:
        raise ValidationError({"action": [f"Unknown action {action!r}."]})
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
    *, comment_ids: Iterable[int], action: str, actor: User, note: str = ""
) -> list[Comment]:
    """Apply one moderation action to many comments at once, all or nothing."""
    moderator_check(actor)
    ids = sorted({pk for pk in map(pk_parse, comment_ids) if pk is not None})
    if not ids:
        raise ValidationError({"comments": ["Select at least one comment."]})
    if action not in MODERATION_ACTIONS:
        raise ValidationError({"action": [f"Unknown action {action!r}."]})
    with transaction.atomic():
        comments = list(Comment.objects.filter(pk__in=ids).exclude(status=Comment.Status.DELETED))
        return [
            comment_moderate(comment=c, action=action, actor=actor, note=note) for c in comments
        ]


def comment_feature(
    *, comment: Comment, actor: User, featured: bool = True, note: str = ""
) -> Comment:
    """Feature a published comment above its thread, or stop featuring it."""
    moderator_check(actor)
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
        Thread.objects.filter(pk=comment.thread_id).update(version=F("version") + 1)
        audit_log(
            action="feature" if featured else "unfeature",
            actor=actor,
            object_key=f"comment:{comment.pk}",
            note=note.strip(),
        )
        transaction.on_commit(lambda: comment_changed.send(sender=Comment, comment=comment))
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
    moderator_check(actor)
    errors: dict[str, list[str]] = {}
    if duration not in BAN_DURATIONS:
        errors.setdefault("duration", []).append("Choose 1 day, 7 days, 30 days or permanent.")
    targets = set(targets)
    user = comment.user if "user" in targets and comment.user_id else None
    email = comment.author_email if "email" in targets else ""
    hashed_ip = comment.ip_hash if "ip" in targets else ""
    if user is None and not email and not hashed_ip:
        errors.setdefault("targets", []).append(
            "This author has no account, email or address on record to ban."
        )
    if user is not None and user.has_perm(MODERATE_PERMISSION):
        errors.setdefault("targets", []).append("Staff who moderate cannot be banned here.")
    _raise(errors)
    return ban_create(
        actor=actor,
        user=user,
        email=email,
        ip_hash=hashed_ip,
        duration=BAN_DURATIONS[duration],
        reason=(note.strip() or f"From comment {comment.pk}.")[:300],
        object_key=f"comment:{comment.pk}",
    )
