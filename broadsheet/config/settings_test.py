"""Settings for the test suite: the real settings with a throwaway DATA_DIR and inline tasks."""

import os
import tempfile

os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="broadsheet-test-"))
os.environ.setdefault("TASKS_BACKEND", "immediate")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from broadsheet.config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Whitenoise warns when STATIC_ROOT is absent; tests serve app static files directly.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# A file-backed SQLite test database (WAL) lets concurrency tests use several connections at once,
# as the production SQLite setup does; an in-memory one would serialize them into one.
if DATABASES["default"]["ENGINE"] == "broadsheet.core.sqlite":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405

# After-commit effects get their payload through JSON, as a task queue would (core/effects.py).
EFFECTS_JSON_ROUNDTRIP = True
