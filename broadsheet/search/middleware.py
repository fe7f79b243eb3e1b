"""WordPress's search address, /?s=words, kept working for links from an imported site."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse

from broadsheet.search.query import query_clean


class WordPressSearchRedirectMiddleware:
    """Send /?s=words to /search/?q=words (the front page itself belongs to newsroom)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/" and "s" in request.GET and request.method in ("GET", "HEAD"):
            try:
                page = reverse("search:search")
            except NoReverseMatch:  # a URL configuration without the search page
                return self.get_response(request)
            query = urlencode({"q": query_clean(request.GET.get("s"))})
            return HttpResponsePermanentRedirect(f"{page}?{query}")
        return self.get_response(request)
