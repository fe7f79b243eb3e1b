"""The discussion app."""

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """The discussion app."""

    name = "broadsheet.discussion"
    label = "discussion"

    def ready(self) -> None:
        # Registers the settings checks (the report limit, sizes and depths).
        from broadsheet.core.metrics import gauge_register
        from broadsheet.discussion import checks  # noqa: F401
        from broadsheet.discussion.selectors import queue_counts

        gauge_register(
            "broadsheet_moderation_queue",
            "Comments in each tab of the moderation queue (pending: waiting for a moderator).",
            lambda: [({"tab": tab}, float(n)) for tab, n in queue_counts().items()],
        )
