"""The search form: what to look for, and the section and date filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from broadsheet.newsroom.models import Section
from broadsheet.search.query import MAX_QUERY_CHARS, query_clean
from broadsheet.search.selectors import ORDERS, RELEVANCE

# Dates outside these years are typing mistakes, and near year 1 or 9999 a time-zone shift
# would overflow Python's datetime.
EARLIEST_YEAR, LATEST_YEAR = 1800, 2200


class SearchQueryField(forms.CharField):
    """Free text, cleaned rather than refused: control characters and NUL become spaces."""

    def to_python(self, value: Any) -> str:
        return query_clean(super().to_python(value))


class SearchForm(forms.Form):
    """Filters are optional; one that does not validate is reported and left out of the search."""

    q = SearchQueryField(
        required=False,
        label="Search for",
        widget=forms.TextInput(
            attrs={"type": "search", "maxlength": MAX_QUERY_CHARS, "id": "search-q"}
        ),
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All sections",
        error_messages={"invalid_choice": "There is no such section; searching them all."},
    )
    date_from = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give the date as YYYY-MM-DD; searching without it."},
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give the date as YYYY-MM-DD; searching without it."},
    )
    sort = forms.ChoiceField(
        choices=list(ORDERS.items()), required=False, initial=RELEVANCE, label="Order"
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        # The form shows back what was typed: without control characters, and cut short, so
        # neither a NUL byte nor a pasted page comes back in the page.
        self.shortened = False
        if data is not None:
            typed = " ".join(str(data.get("q", "")).split())
            data = {name: query_clean(data.get(name)) for name in self.base_fields if name in data}
            self.shortened = len(typed) > MAX_QUERY_CHARS
        super().__init__(data, **kwargs)

    def _date_check(self, name: str) -> dt.date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise forms.ValidationError(
                f"Give a year between {EARLIEST_YEAR} and {LATEST_YEAR}; searching without it."
            )
        return day

    def clean_date_from(self) -> dt.date | None:
        return self._date_check("date_from")

    def clean_date_to(self) -> dt.date | None:
        return self._date_check("date_to")

    def filters(self) -> dict[str, Any]:
        """Return the valid filters (the form must have been validated), dates in order."""
        data = getattr(self, "cleaned_data", {})
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            # A range typed backwards still means the days between the two dates.
            start, end = end, start
        return {
            "text": data.get("q", ""),
            "section": data.get("section"),
            "date_from": start,
            "date_to": end,
            "order": data.get("sort") or RELEVANCE,
        }
