"""Newsroom pages."""

from django.http import HttpRequest, HttpResponse


def front_page(request: HttpRequest) -> HttpResponse:
    """The front page."""
    return HttpResponse("Broadsheet")


def section_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A section's page."""
    return HttpResponse(slug)


def tag_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A tag's page."""
    return HttpResponse(slug)


def article_page(request: HttpRequest, year: str, month: str, day: str, slug: str) -> HttpResponse:
    """An article's page."""
    return HttpResponse(slug)
