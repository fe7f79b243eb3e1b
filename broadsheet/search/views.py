"""The search page: parse the form, call one selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from broadsheet.search import selectors
from broadsheet.search.forms import SearchForm


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """Search published articles; any input answers with a results page, never an error."""
    form = SearchForm(request.GET)
    form.is_valid()
    filters = form.filters()
    results = selectors.article_search(page=request.GET.get("page"), **filters)
    context = {
        "form": form,
        "results": results,
        # The page has its own search form; the header's would be a second copy.
        "search_form_shown": True,
        "filtered": bool(filters["section"] or filters["date_from"] or filters["date_to"]),
    }
    response = render(request, "search/results.html", context)
    # Result pages are endless and thin: no search engine should index them.
    response["X-Robots-Tag"] = "noindex"
    return response
