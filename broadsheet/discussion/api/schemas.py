"""The JSON API's request and response shapes; none has a field for email, IP or user agent."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from broadsheet.core.ids import PK_MAX

Sort = Literal["oldest", "newest", "replies"]


def text_clean(value: object) -> object:
    """Refuse NUL characters, which PostgreSQL cannot store (as Django's forms do)."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("Null characters are not allowed.")
    return value


PublicStatus = Literal["approved", "pending", "deleted"]


class Author(Schema):
    """Who wrote a comment, as readers see it."""

    name: str
    url: str | None = Field(None, description="Their website, when given (rel=nofollow ugc).")
    avatar_url: str


class CommentOut(Schema):
    """One comment with its replies; body_html is sanitized on the server."""

    id: int
    parent_id: int | None
    depth: int
    status: PublicStatus
    author: Author | None = Field(None, description="Absent on deleted comments (tombstones).")
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    permalink: str
    is_featured: bool = Field(False, description="Picked by the editors.")
    is_staff: bool = Field(False, description="Written by a member of staff (shown with a badge).")
    replies: list[CommentOut] = Field(default_factory=list)


CommentOut.model_rebuild()


class ThreadOut(Schema):
    """A discussion attached to one page."""

    key: str
    url: str
    title: str
    is_open: bool
    comment_count: int = Field(description="Approved comments, replies included.")


class ThreadPageOut(Schema):
    """One page of a thread: top-level comments in the chosen order, each with all replies."""

    thread: ThreadOut
    exists: bool = Field(description="False for a page nobody has commented on yet.")
    sort: Sort
    page: int
    num_pages: int
    per_page: int
    top_level_count: int
    comments: list[CommentOut]
    featured: list[CommentOut] = Field(
        default_factory=list, description="Editors' picks, on the first page (without replies)."
    )


class CommentIn(Schema):
    """A new comment or reply; name the thread by key or by page URL."""

    key: str = Field(
        "",
        description="The thread's key (for example article:12).",
        max_length=255,
        examples=["article:1"],
    )
    url: str = Field(
        "",
        description="The page's address; its thread may be created.",
    )
    title: str = Field("", description="The page's title, used when its thread is created.")
    parent: int | None = Field(
        None, ge=1, le=PK_MAX, description="The id of the comment this replies to."
    )
    body: str = Field(
        description="Limited Markdown: emphasis, links, quotes, code, lists.",
        examples=["I was on the *same* ferry this morning."],
    )
    author_name: str = Field("", description="Required for guests.", examples=["Mira Quell"])
    author_email: str = Field(
        "",
        description="Required for guests; never shown to anyone.",
        examples=["mira@example.org"],
    )
    author_url: str = Field("", examples=["https://mira.example"])
    notify: bool = Field(False, description="Email me when someone replies in this thread.")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        return text_clean(value)


class CommentEditIn(Schema):
    """New text for a comment."""

    body: str

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        return text_clean(value)


class OwnCommentOut(CommentOut):
    """The author's own view of a comment: its source text, and what they may do with it."""

    body: str
    edit_until: datetime


class CommentPosted(Schema):
    """The answer to a new comment: published (201) or held for moderation (202)."""

    status: PublicStatus
    message: str = ""
    comment: OwnCommentOut
    token: str | None = Field(
        None,
        description=(
            "Send it back as X-Comment-Token to edit or delete the comment. Only the first "
            "submission receives it; a repeated identical submission gets the comment alone."
        ),
    )
    subscription_pending: bool = Field(
        False,
        description=(
            "True when notify was asked with an address that must be confirmed first: a "
            "confirmation email is on its way (tell the reader to check their inbox)."
        ),
    )


ReportReason = Literal["spam", "abuse", "off-topic", "other"]


class ReportIn(Schema):
    """A reader's report on a comment: why, and an optional short note for the moderators."""

    reason: ReportReason
    note: str = Field("", max_length=500, description="Optional; seen by moderators only.")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        return text_clean(value)


class ReportOut(Schema):
    """The answer to a report: recorded (201) or already recorded earlier (200)."""

    created: bool
    message: str


class Counts(Schema):
    """Approved comment counts by thread key and by page URL, as asked."""

    keys: dict[str, int]
    urls: dict[str, int]


class Error(Schema):
    """A refusal: a sentence for people and, for bad input, messages by field."""

    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class RateLimited(Error):
    """Too many comments too quickly; the Retry-After header says when to try again."""

    retry_after: int


# The refusals every operation may answer with, as the schema lists them.
ERROR_RESPONSES: dict[int, type[Error]] = {
    400: Error,
    403: Error,
    404: Error,
    415: Error,
    422: Error,
}
