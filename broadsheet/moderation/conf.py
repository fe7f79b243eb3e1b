"""The moderation settings, read at call time and parsed with clear errors."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from broadsheet.core.ratelimit import parse_limit


def get(name: str):
    """Return a moderation setting; settings.py defines every one, from the environment."""
    return getattr(settings, name)


def number(name: str) -> float:
    """Return a setting as a float (accepts numbers or numeric strings)."""
    raw = get(name)
    try:
        return float(raw)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from exc


def rate_windows(name: str) -> list[tuple[int, int]]:
    """Parse ["5/60", "30/3600"] into [(count, seconds), ...]."""
    return [parse_limit(name, item) for item in get(name)]


def thresholds(name: str) -> dict[str, float]:
    """Parse ["toxic=0.5", ...] (or a dict) into {"toxic": 0.5, ...}."""
    raw = get(name)
    if isinstance(raw, dict):
        return {str(k): float(v) for k, v in raw.items()}
    parsed = {}
    for item in raw:
        label, _, value = str(item).partition("=")
        try:
            parsed[label.strip()] = float(value)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} items must look like toxic=0.5, not {item!r}"
            ) from exc
    return parsed
