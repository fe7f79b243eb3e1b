"""Load the referee's models before any comment needs them (gunicorn's master, before fork)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

log = logging.getLogger(__name__)


def models_load() -> Iterator[tuple[str, object | Exception]]:
    """Load the toxicity and cold-start models: each one's name, and it or why it failed."""
    from broadsheet.moderation import toxicity
    from broadsheet.moderation.coldstart import model as coldstart

    for name, load in (("toxicity", toxicity.model), ("cold-start", coldstart.model)):
        try:
            yield name, load()
        except Exception as exc:  # noqa: BLE001 - reported to the caller, which decides
            yield name, exc


def preload() -> None:
    """Load the models and the group patterns, so forked workers share their pages.

    A missing or refused model is left for the first comment to report (and hold): starting
    the server must not fail on it.
    """
    from broadsheet.moderation import groups

    # The built-in group patterns compile in a fifth of a second: once here, not per worker.
    groups.group_patterns_builtin()
    for name, loaded in models_load():
        if isinstance(loaded, Exception):
            log.warning("the %s model did not preload: %s", name, loaded)
