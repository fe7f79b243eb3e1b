"""The newsroom app."""

from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The newsroom app."""

    name = "broadsheet.newsroom"
    label = "newsroom"
