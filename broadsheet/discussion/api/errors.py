"""Every refusal the API makes is JSON: {"detail": "...", "errors": {field: [...]}}.

ApiError carries a refusal out of an operation; the handlers installed on the NinjaAPI turn it,
ninja's own input errors, the services' ValidationError and PermissionDenied, and missing
comments and threads into that one shape.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from broadsheet.discussion.api.parsers import NotAJsonObject
from broadsheet.discussion.api.serializers import json_response
from broadsheet.discussion.models import Comment
from broadsheet.discussion.pages import UnknownThread
from broadsheet.discussion.permissions import NotCommentAuthor

if TYPE_CHECKING:
    from ninja import NinjaAPI

FIELDS_INVALID = "Please correct the fields named in errors."
NO_RIGHT_TO_CHANGE = "The X-Comment-Token header is missing or wrong."


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


def error_response(
    request: HttpRequest,
    status: int,
    detail: str,
    errors: dict[str, list[str]] | None = None,
    **extra: Any,
) -> HttpResponse:
    """Answer with a refusal in the API's one error shape."""
    return json_response(
        request, {"detail": detail, "errors": errors or {}, **extra}, status=status
    )


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = error_response(request, exc.status, exc.detail, exc.errors, **exc.extra)
    for name, value in exc.headers.items():
        response[name] = value
    return response


def _input_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
        # ninja prefixes the source ("body", "query") and the parameter name ("payload").
        names = [part for part in loc[1:] if part not in ("payload",)]
        field = names[-1] if names else "request"
        message = error.get("msg", "Invalid value.")
        errors.setdefault(field, []).append(message)
    return error_response(request, 422, FIELDS_INVALID, errors)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if exc.status_code == 400 and cause is not None:
        if isinstance(cause, NotAJsonObject):
            return error_response(request, 400, str(cause), {"request": [str(cause)]})
        where = ""
        if isinstance(cause, json.JSONDecodeError):
            where = f" ({cause.msg} at line {cause.lineno}, column {cause.colno})"
        return error_response(
            request,
            400,
            f"The request body is not valid JSON{where}.",
            {"request": ['Send a JSON object, like {"body": "..."}.']},
        )
    return error_response(request, exc.status_code, str(exc))


def _service_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"request": exc.messages}
    if "thread" in errors:
        return error_response(request, 403, errors["thread"][0], errors)
    return error_response(request, 422, FIELDS_INVALID, errors)


def _unknown_thread(request: HttpRequest, exc: UnknownThread) -> HttpResponse:
    return error_response(request, 404, str(exc))


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 404, "Not found.")


def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    errors = {"token": [NO_RIGHT_TO_CHANGE]} if isinstance(exc, NotCommentAuthor) else {}
    return error_response(request, 403, str(exc) or "You may not do this.", errors)


HANDLERS: dict[type[Exception], Any] = {
    ApiError: _api_error,
    NinjaValidationError: _input_error,
    HttpError: _http_error,
    DjangoValidationError: _service_error,
    UnknownThread: _unknown_thread,
    Http404: _not_found,
    Comment.DoesNotExist: _not_found,
    PermissionDenied: _forbidden,
}


def error_handlers_install(api: NinjaAPI) -> None:
    """Make every refusal of this API answer in its JSON error shape."""
    for exc_class, handler in HANDLERS.items():
        api.add_exception_handler(exc_class, handler)
