"""The "keep this field" marker of update services: an argument left out keeps the stored value."""

from __future__ import annotations

from enum import Enum
from typing import Final


class Unchanged(Enum):
    """An update service's argument that was left out: the stored value is kept."""

    KEEP = "keep"


KEEP: Final = Unchanged.KEEP
