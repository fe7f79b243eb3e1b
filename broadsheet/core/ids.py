"""Database ids read from user input."""

from __future__ import annotations

# The largest primary key a database's bigint holds; anything larger names no row.
PK_MAX = 2**63 - 1


def pk_parse(value: object) -> int | None:
    """Return a database id from user input, or None for anything that cannot name a row."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        # str.isdigit() accepts "²" and other digits int() refuses: ASCII digits only.
        if not (text.isascii() and text.isdigit()) or len(text) > 19:
            return None
        number = int(text)
    else:
        return None
    return number if 0 < number <= PK_MAX else None
