"""Who may do what in a discussion; every refusal is a PermissionDenied."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from broadsheet.core.ids import pk_parse
from broadsheet.discussion.models import Comment
from broadsheet.discussion.security import comment_token_valid

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from broadsheet.accounts.models import User

MODERATE_PERMISSION = "discussion.moderate_comments"
REFUSED_STATUSES = (Comment.Status.REJECTED, Comment.Status.SPAM)


class ModeratorRequired(PermissionDenied):
    """Only moderators may do this (editors and readers may not)."""

    def __init__(self, message: str = "Only moderators may moderate comments.") -> None:
        super().__init__(message)


class NotCommentAuthor(PermissionDenied):
    """Only the comment's author (with its token or account) or a moderator may change it."""

    def __init__(self, message: str = "Only the comment's author may change it.") -> None:
        super().__init__(message)


def can_moderate(user: User | AnonymousUser | None) -> bool:
    """Whether user holds the moderate_comments permission."""
    return bool(user is not None and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


def moderator_require(user: User | AnonymousUser | None) -> None:
    """Refuse anyone without the moderate_comments permission (editors included)."""
    if not can_moderate(user):
        raise ModeratorRequired()


def comment_can_change(
    *, comment: Comment, token: str | None = None, user: User | AnonymousUser | None = None
) -> bool:
    """Whether the holder of token (or user) may edit or delete the comment."""
    if user is not None and user.is_authenticated:
        if can_moderate(user) or comment.user_id == user.pk:
            return True
    return comment_token_valid(comment.pk, token)


def comment_access(
    *,
    comment_id: object,
    user: User | AnonymousUser | None = None,
    token: str | None = None,
    change: bool = False,
    published_or_held: bool = False,
) -> Comment:
    """Fetch a comment the viewer may reach, or raise: the one door views and the API share.

    A comment in a hidden thread (its article not live) does not exist for anyone but
    moderators; published_or_held also hides rejected and spam comments from everyone.
    With change, the viewer must be allowed to edit or delete it (NotCommentAuthor).
    """
    pk = pk_parse(comment_id)
    comment = (
        Comment.objects.select_related("thread", "user").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if comment is None or (published_or_held and comment.status in REFUSED_STATUSES):
        raise Comment.DoesNotExist("No such comment.")
    if not comment.thread.is_visible and not can_moderate(user):
        raise Comment.DoesNotExist("No such comment.")
    if change and not comment_can_change(comment=comment, token=token, user=user):
        raise NotCommentAuthor()
    return comment
