"""Shared pieces every app builds on."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The core app: base models, text rendering, security middleware, the rate limiter."""

    name = "broadsheet.core"
    label = "core"

    def ready(self) -> None:
        # Registers the settings checks (TASKS_BACKEND, the rate limiter's store).
        from broadsheet.core import checks  # noqa: F401
        from broadsheet.core.backlog import task_backlog
        from broadsheet.core.metrics import gauge_register

        gauge_register("broadsheet_task_backlog", "Tasks waiting for a worker.", task_backlog)
