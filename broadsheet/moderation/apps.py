"""The moderation app."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """The moderation app."""

    name = "broadsheet.moderation"
    label = "moderation"

    def ready(self) -> None:
        # Registers the settings checks (MODERATION_MODE, rules, numbers, the toxicity model).
        from broadsheet.moderation import checks  # noqa: F401
