"""The search app."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The search app."""

    name = "broadsheet.search"
    label = "search"
