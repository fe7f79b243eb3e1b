"""Load the referee's models before any comment needs them (gunicorn's master, before fork)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def preload() -> None:
    """Load the toxicity and cold-start models, so forked workers share their pages.

    A missing or refused model is left for the first comment to report (and hold): starting
    the server must not fail on it.
    """
    from broadsheet.moderation import groups, toxicity
    from broadsheet.moderation.coldstart import model as coldstart

    # The built-in group patterns compile in a fifth of a second: once here, not per worker.
    groups.group_patterns_builtin()
    for name, load in (("toxicity", toxicity.model), ("cold-start", coldstart.model)):
        try:
            load()
        except Exception as exc:  # noqa: BLE001 - reported by the first judge() and the checks
            log.warning("the %s model did not preload: %s", name, exc)
