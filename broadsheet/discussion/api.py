"""The discussion's JSON API (django-ninja): read threads, post, reply, edit, delete, count.

Mounted at /api/ (OpenAPI at /api/openapi.json, script-free docs at /api/docs). Views parse,
make one call into discussion's services or selectors (through api_threads for threads named by
page URL) and shape the answer; every refusal is JSON: {"detail": "...", "errors": {field: [...]}}.

Cross-site request forgery. The widget posts from other sites' pages, so these endpoints cannot
rely on Django's CSRF cookie alone. A write is accepted when all of these hold:

1. Its body is JSON (Content-Type: application/json). An HTML form on a hostile page can only send
   form encodings or text/plain; sending JSON cross-site needs a CORS preflight, which the
   browser makes and which we answer only for allowed origins (api_urls.py).
2. Its Origin header, when present, is this site's own origin or one of
   settings.COMMENT_EMBED_ORIGINS. Browsers always send Origin on cross-site fetches and POSTs;
   requests without one come from programs, which carry no reader's cookies.
3. When it arrives with a signed-in session (cookie authentication), Django's full CSRF check
   runs as well (django-ninja's cookie auth with csrf=True): the CSRF token header and the
   trusted-origin check. Cross-site widget requests never send cookies (fetch credentials
   "omit", and no Access-Control-Allow-Credentials is ever sent), so they post as guests.

Edit and delete need the comment's signed token in the X-Comment-Token header (or a session
of the comment's author or a moderator, CSRF-checked as above).
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Header, NinjaAPI, Query, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import SessionAuth

from broadsheet.core.network import client_ip, ip_hash
from broadsheet.discussion import api_threads, services
from broadsheet.discussion.api_docs import PlainDocs
from broadsheet.discussion.api_schemas import (
    ID_MAX,
    CommentEditIn,
    CommentIn,
    CommentPosted,
    Counts,
    Error,
    OwnCommentOut,
    RateLimited,
    ReportIn,
    ReportOut,
    Sort,
    ThreadPageOut,
)
from broadsheet.discussion.api_threads import EmptyThread, UnknownThread
from broadsheet.discussion.avatars import AVATAR_HASH_LENGTH, avatar_hash
from broadsheet.discussion.display import viewer_for
from broadsheet.discussion.models import Comment
from broadsheet.discussion.security import comment_token, keyed_hash
from broadsheet.discussion.selectors import CommentNode, ThreadPage

# Counting is for list pages; a page never shows more stories than this.
COUNTS_MAX = 200
JSON_TYPES = ("application/json",)


class ApiError(Exception):
    """A refusal with a status, a sentence, field errors and extra headers."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail
        self.errors = errors or {}
        self.headers = headers or {}
        self.extra = extra


def request_origin(request: HttpRequest) -> str:
    """The origin this request was addressed to (this site, as the reader's browser sees it)."""
    return f"{request.scheme}://{request.get_host()}"


def origin_allowed(request: HttpRequest, origin: str) -> bool:
    """Whether a page on this origin may use the API from a browser."""
    origin = api_threads.origin_normalize(origin)
    if not origin:
        return False
    allowed = api_threads.own_origins(request_origin(request)) | api_threads.embed_origins()
    return origin in allowed


class ReaderAuth(SessionAuth):
    """Let guests write; check JSON, Origin, and (for signed-in sessions) Django's CSRF token."""

    def __call__(self, request: HttpRequest) -> Any:
        origin = request.headers.get("Origin")
        if origin is not None and not origin_allowed(request, origin):
            raise ApiError(
                403,
                "This site may not post comments here.",
                {"origin": [f"Comments cannot be posted from {origin[:100]}."]},
            )
        if request.method in ("POST", "PATCH", "PUT") and request.body:
            content_type = request.content_type or ""
            if content_type not in JSON_TYPES:
                raise ApiError(
                    415,
                    "Send the request body as JSON (Content-Type: application/json).",
                    {"content_type": [f"{content_type or 'none'} is not accepted."]},
                )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Raises 403 unless the CSRF token and origin check pass.
            return super().__call__(request)
        return GUEST


class NotAJsonObject(ValueError):
    """The body is JSON, but not an object."""


class JsonObjectParser(Parser):
    """Parse request bodies as JSON objects; anything else is a malformed request."""

    def parse_body(self, request: HttpRequest) -> dict:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise NotAJsonObject("The request body must be a JSON object.")
        return data


class _Guest:
    """A reader without an account; truthy so ninja lets the request through."""

    def __bool__(self) -> bool:
        return True


GUEST = _Guest()
reader = ReaderAuth()

api = NinjaAPI(
    title="Broadsheet",
    version="1",
    description=(
        "Reader discussion: read a thread page by key or page URL, post and reply, edit or "
        "delete with the token the post returned, and count comments for many pages at once."
    ),
    docs=PlainDocs(),
    parser=JsonObjectParser(),
    urls_namespace="api",
)


# Errors --------------------------------------------------------------------------------------


def _error_response(
    request: HttpRequest,
    status: int,
    detail: str,
    errors: dict[str, list[str]] | None = None,
    **extra: Any,
) -> HttpResponse:
    return api.create_response(
        request, {"detail": detail, "errors": errors or {}, **extra}, status=status
    )


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = _error_response(request, exc.status, exc.detail, exc.errors, **exc.extra)
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(NinjaValidationError)
def _input_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
        # ninja prefixes the source ("body", "query") and the parameter name ("payload").
        names = [part for part in loc[1:] if part not in ("payload",)]
        field = names[-1] if names else "request"
        message = error.get("msg", "Invalid value.")
        errors.setdefault(field, []).append(message)
    return _error_response(request, 422, "Please correct the fields named in errors.", errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if exc.status_code == 400 and cause is not None:
        if isinstance(cause, NotAJsonObject):
            return _error_response(request, 400, str(cause), {"request": [str(cause)]})
        where = ""
        if isinstance(cause, json.JSONDecodeError):
            where = f" ({cause.msg} at line {cause.lineno}, column {cause.colno})"
        return _error_response(
            request,
            400,
            f"The request body is not valid JSON{where}.",
            {"request": ['Send a JSON object, like {"body": "..."}.']},
        )
    return _error_response(request, exc.status_code, str(exc))


@api.exception_handler(DjangoValidationError)
def _service_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"request": exc.messages}
    if "thread" in errors:
        return _error_response(request, 403, errors["thread"][0], errors)
    return _error_response(request, 422, "Please correct the fields named in errors.", errors)


@api.exception_handler(UnknownThread)
def _unknown_thread(request: HttpRequest, exc: UnknownThread) -> HttpResponse:
    return _error_response(request, 404, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error_response(request, 404, "Not found.")


@api.exception_handler(PermissionError)
def _forbidden(request: HttpRequest, exc: PermissionError) -> HttpResponse:
    return _error_response(
        request, 403, str(exc), {"token": ["The X-Comment-Token header is missing or wrong."]}
    )


# Shaping answers -----------------------------------------------------------------------------


class _Shaper:
    """Turn comments into JSON-ready dicts with absolute links, never private fields."""

    def __init__(self, request: HttpRequest) -> None:
        self.base = request_origin(request)
        # reverse() per comment was a quarter of a big page's time: resolve each route once.
        marker = "999999999"
        self.permalink = reverse("discussion:permalink", kwargs={"comment_id": int(marker)})
        self.permalink = self.base + self.permalink.replace(marker, "{}")
        self.avatar = None
        if not settings.GRAVATAR:
            digest = "0" * AVATAR_HASH_LENGTH
            self.avatar = self.base + reverse("discussion:avatar", kwargs={"digest": digest})
            self.avatar = self.avatar.replace(digest, "{}")

    def absolute(self, path: str) -> str:
        return f"{self.base}{path}" if path.startswith("/") else path

    def avatar_url(self, comment: Comment) -> str:
        if self.avatar is None:
            return self.absolute(comment.avatar_url)
        return self.avatar.format(
            avatar_hash(email=comment.author_email, name=comment.display_name)
        )

    def comment(
        self,
        comment: Comment,
        replies: list[dict] | None = None,
        *,
        hidden: bool = False,
        avatar: str = "",
    ) -> dict[str, Any]:
        # A held or removed comment kept for its replies shows as a placeholder, text withheld.
        deleted = hidden or comment.status == Comment.Status.DELETED
        status = comment.status
        if hidden and status != Comment.Status.PENDING:
            status = Comment.Status.DELETED
        return {
            "id": comment.pk,
            "parent_id": comment.parent_id,
            "depth": comment.depth,
            "status": status,
            "author": None
            if deleted
            else {
                "name": comment.display_name,
                "url": comment.author_url or None,
                "avatar_url": self.absolute(avatar) if avatar else self.avatar_url(comment),
            },
            "body_html": "" if deleted else comment.body_html,
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
            "permalink": self.permalink.format(comment.pk),
            "is_featured": bool(getattr(comment, "is_featured", False)) and not deleted,
            "is_staff": not deleted and comment.is_staff_comment,
            "replies": replies or [],
        }

    def node(self, node: CommentNode) -> dict[str, Any]:
        replies = [self.node(child) for child in node.children]
        # The tree already resolved each avatar once; hashing it again was a tenth of the time.
        return self.comment(
            node.comment, replies, hidden=bool(node.placeholder), avatar=node.avatar_url
        )

    def own(self, comment: Comment) -> dict[str, Any]:
        return {
            **self.comment(comment),
            "body": comment.body,
            "edit_until": services.comment_edit_deadline(comment),
        }


def _thread_page_dict(request: HttpRequest, page: ThreadPage | EmptyThread, sort: str) -> dict:
    if isinstance(page, EmptyThread):
        return {
            "thread": {
                "key": page.key,
                "url": page.url,
                "title": page.title,
                "is_open": page.is_open,
                "comment_count": 0,
            },
            "exists": False,
            "sort": sort,
            "page": 1,
            "num_pages": 1,
            "per_page": settings.COMMENTS_PER_PAGE,
            "top_level_count": 0,
            "comments": [],
            "featured": [],
        }
    shaper = _Shaper(request)
    thread = page.thread
    return {
        "thread": {
            "key": thread.key,
            "url": thread.url,
            "title": thread.title,
            "is_open": thread.is_open,
            "comment_count": thread.comment_count,
        },
        "exists": True,
        "sort": page.sort,
        "page": page.number,
        "num_pages": page.num_pages,
        "per_page": page.per_page,
        "top_level_count": page.top_level_count,
        "comments": [shaper.node(node) for node in page.nodes],
        "featured": [shaper.comment(comment) for comment in getattr(page, "featured", [])],
    }


# Endpoints -----------------------------------------------------------------------------------

ERRORS = {400: Error, 403: Error, 404: Error, 415: Error, 422: Error}


@api.get("/threads", response={200: ThreadPageOut, **ERRORS}, tags=["threads"])
def thread_read(
    request: HttpRequest,
    key: str = Query("", examples=["article:1"]),
    url: str = Query("", description="The page's address, instead of the key."),
    sort: Sort = "oldest",
    page: int = Query(1, description="Pages count top-level comments, first page 1."),
):
    """Read one page of a thread (by key or page URL): top-level comments with all replies."""
    _refuse_nul(key=[key], url=[url])
    result = api_threads.thread_page_read(
        key=key,
        url=url,
        request_origin=request_origin(request),
        viewer=viewer_for(request),
        sort=sort,
        page=max(1, min(page, 1_000_000)),
    )
    # The shaper builds exactly ThreadPageOut (the schema tests check it); skipping pydantic's
    # second pass over every comment takes a third off a big page's time.
    return api.create_response(request, _thread_page_dict(request, result, sort), status=200)


@api.post(
    "/comments",
    response={201: CommentPosted, 202: CommentPosted, 429: RateLimited, **ERRORS},
    auth=reader,
    tags=["comments"],
)
def comment_create(request: HttpRequest, payload: CommentIn):
    """Post a comment or a reply (parent); 201 when published, 202 when held for moderation."""
    user = request.user if request.user.is_authenticated else None
    comment = api_threads.page_comment_post(
        key=payload.key,
        url=payload.url,
        title=payload.title,
        request_origin=request_origin(request),
        user=user,
        body=payload.body,
        parent=payload.parent,
        author_name=payload.author_name,
        author_email=payload.author_email,
        author_url=payload.author_url,
        notify=payload.notify,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return _posted(request, comment)


def _posted(request: HttpRequest, comment: Comment):
    message = getattr(comment, "reader_message", "")
    if comment.status == Comment.Status.REJECTED:
        retry = (comment.verdict or {}).get("retry_after_seconds")
        if retry:
            raise ApiError(
                429,
                message or "You are posting too quickly.",
                {"body": [message or "You are posting too quickly."]},
                headers={"Retry-After": str(math.ceil(retry))},
                retry_after=math.ceil(retry),
            )
        raise ApiError(422, message, {"body": [message]})
    # A repeated identical submission returns the stored comment, but never hands out its token.
    fresh = hasattr(comment, "reader_message")
    status = 201 if comment.status == Comment.Status.APPROVED else 202
    return Status(
        status,
        {
            "status": comment.status,
            "message": message,
            "comment": _Shaper(request).own(comment),
            "token": comment_token(comment.pk) if fresh else None,
            "subscription_pending": bool(getattr(comment, "subscription_pending", False)),
        },
    )


@api.patch(
    "/comments/{comment_id}",
    response={200: OwnCommentOut, **ERRORS},
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
    comment = _comment_or_404(comment_id)
    user = request.user if request.user.is_authenticated else None
    comment = services.comment_edit(comment=comment, body=payload.body, token=token, user=user)
    return Status(200, _Shaper(request).own(comment))


@api.delete(
    "/comments/{comment_id}",
    response={204: None, **ERRORS},
    auth=reader,
    tags=["comments"],
)
def comment_remove(
    request: HttpRequest,
    comment_id: int,
    token: str = Header("", alias="X-Comment-Token"),
):
    """Delete a comment; one with replies stays as a tombstone that keeps them."""
    comment = _comment_or_404(comment_id)
    user = request.user if request.user.is_authenticated else None
    services.comment_delete(comment=comment, token=token, user=user)
    return Status(204, None)


# The API's reasons are spelt for URLs and JSON; the model keeps its own names.
REPORT_REASONS = {"spam": "spam", "abuse": "abuse", "off-topic": "off_topic", "other": "other"}


def _reporter_key(request: HttpRequest, hashed_ip: str) -> str:
    """Name the reporter: their account, else (widgets send no cookies) a keyed hash of the IP."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"  # the same key the HTML report form uses
    return f"ip:{keyed_hash('reporter', hashed_ip or 'unknown')}"


@api.post(
    "/comments/{comment_id}/report",
    response={200: ReportOut, 201: ReportOut, **ERRORS},
    auth=reader,
    tags=["comments"],
)
def report_create(request: HttpRequest, comment_id: int, payload: ReportIn):
    """Report a published comment to the moderators; 201 the first time, 200 when repeated."""
    comment = _comment_or_404(comment_id)
    if comment.status != Comment.Status.APPROVED:
        raise ApiError(404, "This comment is no longer published.")
    hashed_ip = ip_hash(client_ip(request))
    _flag, created = services.comment_report(
        comment=comment,
        reporter_key=_reporter_key(request, hashed_ip),
        reason=REPORT_REASONS[payload.reason],
        note=payload.note,
        user=request.user if request.user.is_authenticated else None,
        ip_hash=hashed_ip,
    )
    if created:
        return Status(201, {"created": True, "message": "Thank you. A moderator will look at it."})
    return Status(200, {"created": False, "message": "You have already reported this comment."})


def _refuse_nul(**params: list[str]) -> None:
    errors = {
        name: ["Null characters are not allowed."]
        for name, values in params.items()
        if any("\x00" in value for value in values)
    }
    if errors:
        raise ApiError(422, "Please correct the fields named in errors.", errors)


def _comment_or_404(comment_id: int) -> Comment:
    if not 0 < comment_id <= ID_MAX:
        raise Http404
    comment = get_object_or_404(
        Comment.objects.select_related("thread", "user").exclude(
            status__in=(Comment.Status.REJECTED, Comment.Status.SPAM)
        ),
        pk=comment_id,
    )
    if not comment.thread.is_visible:
        raise Http404  # a hidden thread (its article not live) answers as if it did not exist
    return comment


@api.get("/counts", response={200: Counts, **ERRORS}, tags=["threads"])
def comment_counts(
    request: HttpRequest,
    key: list[str] = Query([]),  # noqa: B008 - ninja's way to declare a repeated parameter
    url: list[str] = Query([]),  # noqa: B008
):
    """Count approved comments for many thread keys and page URLs in one call."""
    _refuse_nul(key=key, url=url)
    if len(key) + len(url) > COUNTS_MAX:
        raise ApiError(
            422,
            f"Ask for at most {COUNTS_MAX} threads at a time.",
            {"key": [f"At most {COUNTS_MAX} keys and URLs together."]},
        )
    by_key, by_url = api_threads.counts_for(
        keys=key, urls=url, request_origin=request_origin(request)
    )
    return Status(200, {"keys": by_key, "urls": by_url})
