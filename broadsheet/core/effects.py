"""Side effects that run only once the write that caused them has committed."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def after_commit(effect: Callable[..., Any], /, **payload: Any) -> None:
    """Run effect(**payload) after the current transaction commits; log, never raise, a failure.

    The payload must be plain data (ids, strings), as a task's would be: with
    EFFECTS_JSON_ROUNDTRIP on (the tests), it goes through JSON first, so passing a model
    instance fails where it is scheduled instead of in production's task queue.
    """
    if settings.EFFECTS_JSON_ROUNDTRIP:
        payload = json.loads(json.dumps(payload))

    def run() -> None:
        try:
            effect(**payload)
        except Exception:
            # The write is committed and acknowledged: a failing effect is logged, not a 500.
            logger.exception("after-commit effect %s failed", getattr(effect, "__name__", effect))

    transaction.on_commit(run)
