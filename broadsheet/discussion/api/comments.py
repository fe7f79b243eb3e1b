"""Writing comments: post and reply, edit and delete with the token, report to the moderators."""

from __future__ import annotations

import math

from django.http import HttpRequest
from ninja import Header, Router, Status

from broadsheet.core.network import client_ip, ip_hash
from broadsheet.discussion import pages, permissions, services
from broadsheet.discussion.api.auth import reader, signed_in_user
from broadsheet.discussion.api.errors import ApiError
from broadsheet.discussion.api.schemas import (
    ERROR_RESPONSES,
    CommentEditIn,
    CommentIn,
    CommentPosted,
    OwnCommentOut,
    RateLimited,
    ReportIn,
    ReportOut,
)
from broadsheet.discussion.api.serializers import Shaper
from broadsheet.discussion.models import Comment
from broadsheet.discussion.security import comment_token, keyed_hash

TOO_FAST = "You are posting too quickly."
# The API's reasons are spelt for URLs and JSON; the model keeps its own names.
REPORT_REASONS = {"spam": "spam", "abuse": "abuse", "off-topic": "off_topic", "other": "other"}

router = Router()


@router.post(
    "/comments",
    response={201: CommentPosted, 202: CommentPosted, 429: RateLimited, **ERROR_RESPONSES},
    auth=reader,
    tags=["comments"],
)
def comment_create(request: HttpRequest, payload: CommentIn):
    """Post a comment or a reply (parent); 201 when published, 202 when held for moderation."""
    posted = pages.page_comment_post(
        key=payload.key,
        url=payload.url,
        title=payload.title,
        request_origin=pages.request_origin_of(request),
        user=signed_in_user(request),
        body=payload.body,
        parent=payload.parent,
        author_name=payload.author_name,
        author_email=payload.author_email,
        author_url=payload.author_url,
        notify=payload.notify,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return _posted(request, posted)


def _posted(request: HttpRequest, posted: services.CommentPosted):
    message = posted.reader_message
    comment = posted.comment
    if comment is None or posted.refused:
        if posted.retry_after:
            retry_after = math.ceil(posted.retry_after)
            raise ApiError(
                429,
                message or TOO_FAST,
                {"body": [message or TOO_FAST]},
                headers={"Retry-After": str(retry_after)},
                retry_after=retry_after,
            )
        raise ApiError(422, message, {"body": [message]})
    status = 201 if comment.status == Comment.Status.APPROVED else 202
    return Status(
        status,
        {
            "status": comment.status,
            "message": message,
            "comment": Shaper(request).own(comment),
            # A repeated identical submission returns the stored comment, never its token.
            "token": comment_token(comment.pk) if posted.created else None,
            "subscription_pending": posted.subscription_pending,
        },
    )


@router.patch(
    "/comments/{comment_id}",
    response={200: OwnCommentOut, **ERROR_RESPONSES},
    auth=reader,
    tags=["comments"],
)
def comment_update(
    request: HttpRequest,
    comment_id: int,
    payload: CommentEditIn,
    token: str = Header("", alias="X-Comment-Token"),
):
    """Change a comment's text within the edit window, with the token its post returned."""
    user = signed_in_user(request)
    comment = permissions.comment_access(comment_id=comment_id, user=user, published_or_held=True)
    comment = services.comment_edit(comment=comment, body=payload.body, token=token, user=user)
    return Status(200, Shaper(request).own(comment))


@router.delete(
    "/comments/{comment_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=reader,
    tags=["comments"],
)
def comment_remove(
    request: HttpRequest,
    comment_id: int,
    token: str = Header("", alias="X-Comment-Token"),
):
    """Delete a comment; one with replies stays as a tombstone that keeps them."""
    user = signed_in_user(request)
    comment = permissions.comment_access(comment_id=comment_id, user=user, published_or_held=True)
    services.comment_delete(comment=comment, token=token, user=user)
    return Status(204, None)


def reporter_key(request: HttpRequest, hashed_ip: str) -> str:
    """Name the reporter: their account, else (widgets send no cookies) a keyed hash of the IP."""
    user = signed_in_user(request)
    if user is not None:
        return f"user:{user.pk}"  # the same key the HTML report form uses
    return f"ip:{keyed_hash('reporter', hashed_ip or 'unknown')}"


@router.post(
    "/comments/{comment_id}/report",
    response={200: ReportOut, 201: ReportOut, **ERROR_RESPONSES},
    auth=reader,
    tags=["comments"],
)
def report_create(request: HttpRequest, comment_id: int, payload: ReportIn):
    """Report a published comment to the moderators; 201 the first time, 200 when repeated."""
    user = signed_in_user(request)
    comment = permissions.comment_access(comment_id=comment_id, user=user, published_or_held=True)
    if comment.status != Comment.Status.APPROVED:
        raise ApiError(404, "This comment is no longer published.")
    hashed_ip = ip_hash(client_ip(request))
    _flag, created = services.comment_report(
        comment=comment,
        reporter_key=reporter_key(request, hashed_ip),
        reason=REPORT_REASONS[payload.reason],
        note=payload.note,
        user=user,
        ip_hash=hashed_ip,
    )
    if created:
        return Status(201, {"created": True, "message": "Thank you. A moderator will look at it."})
    return Status(200, {"created": False, "message": "You have already reported this comment."})
