"""Keyed hashes and signed tokens: who may edit a comment, who may unsubscribe, whose IP."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core import signing

# Edit/delete tokens live as long as the reader may still act on the comment; a week is plenty.
TOKEN_MAX_AGE_SECONDS = 7 * 24 * 3600


def keyed_hash(purpose: str, value: str) -> str:
    """Return an HMAC-SHA256 of value under SECRET_KEY, separated per purpose."""
    key = f"broadsheet.discussion.{purpose}:{settings.SECRET_KEY}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def _comment_salt(comment_id: int) -> str:
    return f"broadsheet.discussion.comment.{comment_id}"


def comment_token(comment_id: int) -> str:
    """Return the token that lets a comment's author edit or delete it without an account."""
    return signing.dumps(comment_id, salt=_comment_salt(comment_id), compress=False)


def comment_token_valid(comment_id: int, token: str | None) -> bool:
    """Whether token was issued for this comment and has not expired."""
    if not token:
        return False
    try:
        value = signing.loads(token, salt=_comment_salt(comment_id), max_age=TOKEN_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    return value == comment_id


def unsubscribe_token(subscription_id: int) -> str:
    """Return the token in a notification email's one-click unsubscribe link."""
    return signing.dumps(subscription_id, salt="broadsheet.discussion.unsubscribe")


def unsubscribe_token_subscription_id(token: str) -> int | None:
    """Return the subscription id a token was made for, or None when it is forged."""
    try:
        value = signing.loads(token, salt="broadsheet.discussion.unsubscribe")
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


# A form older than this was left open too long to count as evidence either way; a day is plenty.
FORM_STAMP_MAX_AGE_SECONDS = 24 * 3600


def _form_stamp_salt(thread_id: int) -> str:
    # Bound to the thread, so a stamp fetched from one discussion is worthless on another.
    return f"broadsheet.discussion.form-ts.{thread_id}"


def form_timestamp_sign(timestamp: float, *, thread_id: int) -> str:
    """Sign the time a comment form was rendered for a thread, for the referee's too-fast trap."""
    return signing.dumps(round(timestamp, 3), salt=_form_stamp_salt(thread_id))


def form_timestamp_check(value: str, *, thread_id: int) -> tuple[bool, float | None]:
    """Return (genuine, render time): expired stamps are genuine but have no usable time."""
    if not value:
        return False, None
    salt = _form_stamp_salt(thread_id)
    try:
        stamp = signing.loads(value, salt=salt, max_age=FORM_STAMP_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        # A reader who left the page open overnight is slow, not a bot.
        return True, None
    except signing.BadSignature:
        return False, None
    if not isinstance(stamp, int | float) or isinstance(stamp, bool):
        return False, None
    return True, float(stamp)


def form_timestamp_read(value: str, *, thread_id: int) -> float | None:
    """Return the signed render time, or None when missing, forged or expired."""
    return form_timestamp_check(value, thread_id=thread_id)[1]
