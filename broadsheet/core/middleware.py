"""Security headers Django 5.2 does not set itself."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Strict policy: no inline script or style, nothing from other origins.
DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    """Add a strict Content-Security-Policy unless a view set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and not request.path.startswith("/admin/"):
            response["Content-Security-Policy"] = site_policy()
        elif request.path.startswith("/admin/") and "Content-Security-Policy" not in response:
            # Django's admin uses a few inline scripts and styles of its own.
            response["Content-Security-Policy"] = (
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                "script-src 'self' 'unsafe-inline'; frame-ancestors 'self'; object-src 'none'"
            )
        return response


def site_policy() -> str:
    """Return the site's policy; Gravatar, when switched on, is the one outside image host."""
    if getattr(settings, "GRAVATAR", False):
        return DEFAULT_POLICY.replace(
            "img-src 'self' data:", "img-src 'self' data: https://www.gravatar.com"
        )
    return DEFAULT_POLICY
