"""Old WordPress addresses (/2019/05/03/slug/, /?p=12) answer with a 301 to the imported article."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from broadsheet.ingest.legacy import legacy_urls_any
from broadsheet.ingest.models import LegacyURL

_SAFE = ("GET", "HEAD")
# Paths served by their own views, never an old post's address.
_NEVER = ("/static/", "/media/", "/api/", "/admin/")


def _target(path: str) -> str | None:
    """The live article an old address points at, or None."""
    row = LegacyURL.objects.select_related("article").filter(path=path).first()
    if row is None or not row.article.is_live:
        return None
    return row.article.get_absolute_url()


class LegacyURLRedirectMiddleware:
    """Redirect only what nothing else answered: a 404, or the front page asked for ?p=<id>."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in _SAFE:
            return self.get_response(request)
        # The front page answers / itself, so ?p=<id> is looked at before it: one query, only then.
        wanted = request.GET.get("p", "")
        if request.path_info == "/" and wanted.isdigit() and legacy_urls_any():
            target = _target(f"/?p={int(wanted)}")
            if target is not None:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code != 404 or request.path_info.startswith(_NEVER):
            return response
        if not legacy_urls_any():
            return response
        target = _target(request.path_info)
        if target is None and not request.path_info.endswith("/"):
            target = _target(request.path_info + "/")
        if target is None or target == request.path_info:
            return response
        return HttpResponsePermanentRedirect(target)
