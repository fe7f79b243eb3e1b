"""Template context the newsroom adds to every page: the sections for the site's navigation."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from broadsheet.newsroom.selectors import nav_sections


def site_sections(request: HttpRequest) -> dict[str, object]:
    """The navigation's sections, queried only if the page shows them."""
    return {"site_sections": SimpleLazyObject(nav_sections)}
