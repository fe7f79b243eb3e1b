"""Who may write through the API, and how cross-site request forgery is kept out.

The widget posts from other sites' pages, so these endpoints cannot rely on Django's CSRF
cookie alone. A write is accepted when all of these hold:

1. Its body is JSON (Content-Type: application/json). An HTML form on a hostile page can only send
   form encodings or text/plain; sending JSON cross-site needs a CORS preflight, which the
   browser makes and which we answer only for allowed origins (cors.py).
2. Its Origin header, when present, is this site's own origin or one of
   settings.COMMENT_EMBED_ORIGINS (pages.origin_may_call). Browsers always send Origin on
   cross-site fetches and POSTs; requests without one come from programs, which carry no
   reader's cookies.
3. When it arrives with a signed-in session (cookie authentication), Django's full CSRF check
   runs as well (django-ninja's cookie auth with csrf=True): the CSRF token header and the
   trusted-origin check. Cross-site widget requests never send cookies (fetch credentials
   "omit", and no Access-Control-Allow-Credentials is ever sent), so they post as guests.

Edit and delete need the comment's signed token in the X-Comment-Token header (or a session
of the comment's author or a moderator, CSRF-checked as above).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja.security import SessionAuth

from broadsheet.discussion.api.errors import ApiError
from broadsheet.discussion.pages import origin_may_call, request_origin_of

if TYPE_CHECKING:
    from broadsheet.accounts.models import User

JSON_TYPES = ("application/json",)


class _Guest:
    """A reader without an account; truthy so ninja lets the request through."""

    def __bool__(self) -> bool:
        return True


GUEST = _Guest()


class ReaderAuth(SessionAuth):
    """Let guests write; check JSON, Origin, and (for signed-in sessions) Django's CSRF token."""

    def __call__(self, request: HttpRequest) -> Any:
        origin = request.headers.get("Origin")
        if origin is not None and not origin_may_call(
            origin, request_origin=request_origin_of(request)
        ):
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


reader = ReaderAuth()


def signed_in_user(request: HttpRequest) -> User | None:
    """The request's signed-in account, or None for a guest."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
