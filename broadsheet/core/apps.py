"""Shared pieces every app builds on."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The core app: base models, text rendering, security middleware."""

    name = "broadsheet.core"
    label = "core"
