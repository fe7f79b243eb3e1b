"""The feeds app."""

from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """The feeds app."""

    name = "broadsheet.feeds"
    label = "feeds"
