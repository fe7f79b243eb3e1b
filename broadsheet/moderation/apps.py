"""The moderation app."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """The moderation app."""

    name = "broadsheet.moderation"
    label = "moderation"
