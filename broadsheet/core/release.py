"""This release's name for caches: a new version, template or static build misses old entries."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
from pathlib import Path

from django.conf import settings

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _newest_mtime(folders: list[Path]) -> int:
    return max(
        (f.stat().st_mtime_ns for d in folders for f in d.rglob("*.html") if f.is_file()),
        default=0,
    )


def release_token_of(folders: list[Path]) -> str:
    """A short hash of the package version, the newest template and the static manifest."""
    try:
        version = importlib.metadata.version("broadsheet")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    built = manifest.stat().st_mtime_ns if manifest.exists() else 0
    return hashlib.sha256(f"{version}:{_newest_mtime(folders)}:{built}".encode()).hexdigest()[:12]


@functools.cache
def release_token() -> str:
    """This process's release token (a few hundred stat calls, made once per process)."""
    return release_token_of(sorted(PACKAGE_DIR.glob("**/templates")))
