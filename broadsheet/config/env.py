"""Typed readers for environment variables; the only place settings touch os.environ."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """Return the variable as a string, or the default when unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return the variable as a boolean; unknown words are a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    """Return the variable as an integer; a non-number is a configuration error."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    """Return the variable as a number; a non-number is a configuration error."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from exc


def env_scores(name: str, default: dict[str, float]) -> dict[str, float]:
    """Return "label=number,label=number" as {label: number}; a non-number is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return dict(default)
    scores = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        label, _, value = item.partition("=")
        try:
            scores[label.strip()] = float(value)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} items must look like toxic=0.5, not {item!r}"
            ) from exc
    return scores


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated variable as a list of trimmed, non-empty items."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key_from(data_dir: Path) -> str:
    """Return SECRET_KEY from the environment, else from DATA_DIR, generating it once."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Write with owner-only permissions; O_EXCL makes two first starts agree on one key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
