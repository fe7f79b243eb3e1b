"""A test-only page that embeds a discussion, so the discussion's tests need no article.

`/test-page/<slug>/` shows the thread keyed `page:<slug>` through the same
`discussion_section` an article page uses; a failed post comes back on it, the form bound.
Use it with `pytest.mark.urls(EMBEDDING_URLS)` and create its thread with `page_thread()`.

Beside it are only discussion's own URLs, its API and the accounts' sign-in pages that the
site's header links to: no newsroom URL, so discussion's pages render without the newsroom.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from broadsheet.discussion import services
from broadsheet.discussion.models import Thread
from broadsheet.discussion.section import discussion_section

EMBEDDING_URLS = __name__

TEMPLATE = """<!DOCTYPE html>{% load static %}
<html lang="en"><head><meta charset="utf-8"><title>{{ discussion.thread.title }}</title>
<link rel="stylesheet" href="{% static 'discussion/discussion.css' %}"></head>
<body><main id="main"><article>
<h1>{{ discussion.thread.title }}</h1>
<p>A page of someone else's that embeds a discussion.</p>
{% include "discussion/section.html" %}
</article></main></body></html>
"""


def page_url(slug: str) -> str:
    """The test page's address."""
    return f"/test-page/{slug}/"


def page_thread(slug: str, title: str = "", **fields) -> Thread:
    """The thread the test page `slug` shows (created on first use, like an article's)."""
    return services.thread_get_or_create(
        key=f"page:{slug}", url=page_url(slug), title=title or slug.title(), **fields
    )


def embedding_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A page of its own with the discussion section under it."""
    section = discussion_section(request, thread=page_thread(slug))
    html = engines["django"].from_string(TEMPLATE).render({"discussion": section}, request)
    return HttpResponse(html)


urlpatterns = [
    path("test-page/<slug:slug>/", embedding_page, name="test_page"),
    path("api/", include("broadsheet.discussion.api")),
    path("", include("broadsheet.discussion.urls")),
    path("accounts/", include("broadsheet.accounts.urls")),
]
