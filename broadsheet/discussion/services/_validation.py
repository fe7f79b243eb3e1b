"""Field cleaning shared by the writing services: errors gathered per field, then raised once."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from broadsheet.core.ids import pk_parse
from broadsheet.discussion import tree
from broadsheet.discussion.models import Comment, Thread

Errors = dict[str, list[str]]

NAME_MAX = 100
URL_MAX = 300
# The widest address the email columns (and RFC 5321) allow.
EMAIL_MAX = 254


def add_error(errors: Errors, field: str, message: str) -> None:
    """Note one message against a field."""
    errors.setdefault(field, []).append(message)


def raise_errors(errors: Errors) -> None:
    """Raise the gathered errors, keyed by field, if there are any."""
    if errors:
        raise ValidationError(errors)


def body_clean(body: str, errors: Errors) -> str:
    """Normalise line ends and trim a comment's text; note an empty or overlong one."""
    body = (body or "").replace("\r\n", "\n").strip()
    limit = settings.COMMENT_MAX_LENGTH
    if not body:
        add_error(errors, "body", "Please write a comment.")
    elif len(body) > limit:
        add_error(
            errors,
            "body",
            f"Your comment is {len(body):,} characters long; the limit is {limit:,}.",
        )
    return body


def guest_clean(*, name: str, email: str, url: str, errors: Errors) -> tuple[str, str, str]:
    """Clean a guest's name, email and website, noting what is missing or malformed."""
    name = " ".join((name or "").split())
    email = (email or "").strip()
    if not name:
        add_error(errors, "author_name", "Please give your name.")
    elif len(name) > NAME_MAX:
        add_error(errors, "author_name", f"Please keep your name under {NAME_MAX} characters.")
    if not email:
        add_error(errors, "author_email", "Please give your email address.")
    elif len(email) > EMAIL_MAX:
        add_error(
            errors,
            "author_email",
            f"Please give an email address of at most {EMAIL_MAX} characters.",
        )
    else:
        try:
            validate_email(email)
        except ValidationError:
            add_error(
                errors, "author_email", "Please give a valid email address, like name@example.com."
            )
    return name, email, url_clean(url, errors)


def url_clean(url: str, errors: Errors) -> str:
    """Return a website as an http(s) URL (https:// added when no scheme), noting a bad one."""
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
        add_error(
            errors,
            "author_url",
            "Please give a valid web address, like https://example.com, or leave it empty.",
        )
    return url


def url_or_empty(url: str) -> str:
    """Keep an imported website only when it is a valid http(s) address; never fail on it."""
    errors: Errors = {}
    cleaned = url_clean(url, errors)
    return "" if errors else cleaned


def parent_resolve(
    *, thread: Thread, parent: Comment | int | str | None, errors: Errors
) -> Comment | None:
    """The comment a reply attaches to, or None for a top-level comment; notes a bad parent."""
    if parent in (None, ""):
        return None
    if not isinstance(parent, Comment):
        pk = pk_parse(parent)
        parent = Comment.objects.filter(pk=pk).first() if pk is not None else None
        if parent is None:
            add_error(errors, "parent", "The comment you are replying to does not exist.")
            return None
    if parent.thread_id != thread.pk:
        add_error(
            errors, "parent", "The comment you are replying to belongs to another discussion."
        )
        return None
    if parent.status != Comment.Status.APPROVED:
        add_error(errors, "parent", "The comment you are replying to is not open to replies.")
        return None
    return tree.reply_parent(parent)
