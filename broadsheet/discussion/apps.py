"""The discussion app."""

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """The discussion app."""

    name = "broadsheet.discussion"
    label = "discussion"

    def ready(self) -> None:
        # Registers the settings checks (the report limit, sizes and depths).
        from broadsheet.discussion import checks  # noqa: F401
