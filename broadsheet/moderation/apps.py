"""The moderation app."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """The moderation app."""

    name = "broadsheet.moderation"
    label = "moderation"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        # Registers the settings checks (MODERATION_MODE, rules, numbers, the models).
        from broadsheet.moderation import checks  # noqa: F401
        from broadsheet.moderation.models import Ban, ContextPolicy, WordRule

        # The referee keeps bans, word lists and context policies in memory for a few seconds
        # (selectors.py): any save or delete, through a service, the admin or a migration,
        # refreshes this process at once.

        for model in (Ban, WordRule, ContextPolicy):
            for signal in (post_save, post_delete):
                signal.connect(_forget, sender=model, dispatch_uid=f"forget-{model.__name__}")


def _forget(**_kwargs) -> None:
    from broadsheet.moderation import selectors

    selectors.forget()
