"""System checks for the settings core owns: the task backend and the rate limiter's store."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils.module_loading import import_string

from broadsheet.core import ratelimit

TASK_BACKENDS = ("database", "rq", "immediate")


@register()
def check_tasks_backend(app_configs=None, **kwargs) -> list[CheckMessage]:
    """TASKS_BACKEND names a known backend whose package is installed and whose queue exists."""
    name = getattr(settings, "TASKS_BACKEND", "database")
    if name not in TASK_BACKENDS:
        return [
            Error(
                f"TASKS_BACKEND must be database, rq or immediate, not {name!r}.",
                hint="database queues in the site's database (run broadsheet db_worker); "
                "rq queues in Redis (REDIS_URL); immediate runs tasks inside the request.",
                id="core.E001",
            )
        ]
    errors: list[CheckMessage] = []
    if name == "rq" and not getattr(settings, "REDIS_URL", ""):
        errors.append(
            Error(
                "TASKS_BACKEND=rq needs REDIS_URL: RQ keeps its queue in Redis.",
                id="core.E002",
            )
        )
    backend = settings.TASKS["default"]["BACKEND"]
    try:
        import_string(backend)
    except ImportError as exc:
        errors.append(
            Error(
                f"TASKS_BACKEND={name}: cannot import {backend} ({exc}).",
                hint="Install the serve requirements: make run, or pip install -e . "
                "-c requirements/constraints.txt.",
                id="core.E003",
            )
        )
    return errors


@register()
def check_rate_limit_store(app_configs=None, **kwargs) -> list[CheckMessage]:
    """RATE_LIMIT_CACHE names a configured cache and RATE_LIMIT_STORE a known store."""
    alias = settings.RATE_LIMIT_CACHE
    if alias not in settings.CACHES:
        return [
            Error(
                f"RATE_LIMIT_CACHE names no configured cache: {alias!r}.",
                hint=f"The caches are {', '.join(settings.CACHES)}.",
                id="core.E004",
            )
        ]
    try:
        store = ratelimit.store_name()
    except ImproperlyConfigured as exc:
        return [Error(f"{exc}.", id="core.E005")]
    if store == "database" and connection.vendor == "sqlite":
        import sqlite3

        # The database store counts with one INSERT ... RETURNING, which SQLite has from 3.35.
        if sqlite3.sqlite_version_info < (3, 35):
            return [
                Error(
                    f"SQLite {sqlite3.sqlite_version} cannot count rate limits in the database.",
                    hint="Upgrade SQLite to 3.35 or later, or set REDIS_URL and "
                    "RATE_LIMIT_STORE=cache.",
                    id="core.E006",
                )
            ]
    return []
