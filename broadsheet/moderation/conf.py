"""The moderation settings, read at call time and parsed with clear errors."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS: dict[str, object] = {
    "MODERATION_RULES": [
        "broadsheet.moderation.rules.BanRule",
        "broadsheet.moderation.rules.HoneypotRule",
        "broadsheet.moderation.rules.FormAgeRule",
        "broadsheet.moderation.rules.RateLimitRule",
        "broadsheet.moderation.rules.DuplicateRule",
        "broadsheet.moderation.rules.LinkCountRule",
        "broadsheet.moderation.rules.WordListRule",
        "broadsheet.moderation.rules.FirstCommentRule",
        "broadsheet.moderation.rules.PhraseRule",
        "broadsheet.moderation.rules.DehumanizingRule",
        "broadsheet.moderation.rules.ToxicityRule",
        "broadsheet.moderation.rules.SpamModelRule",
    ],
    "MODERATION_MODE": "post",
    "MODERATION_TRUSTED_AFTER": 5,
    "MODERATION_TRUSTED_SKIP_PREMODERATION": True,
    "MODERATION_HOLD_FIRST_COMMENT": False,
    "MODERATION_RATE_PER_IP": ["6/60", "40/3600"],
    "MODERATION_RATE_PER_IDENTITY": ["4/60", "30/3600"],
    "MODERATION_DUPLICATE_SECONDS": 86400,
    "MODERATION_MAX_LINKS": 2,
    "MODERATION_MIN_FORM_SECONDS": 3,
    "MODERATION_CACHE": "default",
    "MODERATION_RATE_STORE": "auto",
    "MODERATION_TOXICITY_HOLD": [
        "toxic=0.5",
        "severe_toxic=0.3",
        "obscene=0.5",
        "threat=0.3",
        "insult=0.4",
        "identity_hate=0.3",
    ],
    "MODERATION_TOXICITY_REJECT": ["severe_toxic=0.85", "threat=0.9"],
    "MODERATION_TOXICITY_GROUP_HOLD": "0.3",
    "MODERATION_SPAM_MIN_EXAMPLES": 50,
    "MODERATION_SPAM_RETRAIN_EVERY": 20,
    "MODERATION_SPAM_HOLD": "0.7",
    "MODERATION_SPAM_REJECT": "0.97",
}


def get(name: str):
    """Return a moderation setting, falling back to its documented default."""
    return getattr(settings, name, DEFAULTS[name])


def number(name: str) -> float:
    """Return a setting as a float (accepts numbers or numeric strings)."""
    raw = get(name)
    try:
        return float(raw)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from exc


def rate_windows(name: str) -> list[tuple[int, int]]:
    """Parse ["5/60", "30/3600"] into [(count, seconds), ...]."""
    windows = []
    for item in get(name):
        try:
            count, seconds = (int(part) for part in str(item).split("/"))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} items must look like 5/60 (comments/seconds), not {item!r}"
            ) from exc
        if count < 1 or seconds < 1:
            raise ImproperlyConfigured(f"{name}: {item!r} must have positive numbers")
        windows.append((count, seconds))
    return windows


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
