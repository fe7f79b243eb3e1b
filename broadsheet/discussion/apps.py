"""The discussion app."""

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """The discussion app."""

    name = "broadsheet.discussion"
    label = "discussion"
