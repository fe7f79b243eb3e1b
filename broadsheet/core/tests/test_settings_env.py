"""Settings read from the environment: secret key handling and typed parsing."""

import os
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from broadsheet.config import env


def test_secret_key_is_generated_once_into_data_dir_and_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = env.secret_key_from(tmp_path)
    second = env.secret_key_from(tmp_path)
    assert first == second
    assert len(first) >= 50
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_secret_key_from_environment_wins_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert env.secret_key_from(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_boolean_variables_reject_unknown_words(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env.env_bool("SOME_FLAG")
    monkeypatch.setenv("SOME_FLAG", "Yes")
    assert env.env_bool("SOME_FLAG") is True


def test_integer_and_list_variables(monkeypatch):
    monkeypatch.setenv("SOME_PORT", "8123")
    monkeypatch.setenv("SOME_HOSTS", " a.example , ,b.example")
    assert env.env_int("SOME_PORT", 1) == 8123
    assert env.env_list("SOME_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("SOME_PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="SOME_PORT"):
        env.env_int("SOME_PORT", 1)


def _settings_in_subprocess(tmp_path, **environ) -> str:
    """Import the real settings in a clean interpreter and print a few values."""
    code = (
        "import broadsheet.config.settings as s;"
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'],"
        " s.TASKS['default']['BACKEND'], s.SECRET_KEY == open(s.DATA_DIR / 'secret_key').read())"
    )
    inherited = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "TASKS_BACKEND", "DEBUG"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    clean.update({"DATA_DIR": str(tmp_path), **environ})
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_defaults_are_production_safe_sqlite_with_generated_key(tmp_path):
    out = _settings_in_subprocess(tmp_path)
    assert out == (
        "False broadsheet.core.sqlite "
        "django.core.cache.backends.locmem.LocMemCache django_tasks_db.DatabaseBackend True"
    )
    assert (tmp_path / "broadsheet.sqlite3").parent.exists()


def test_redis_url_switches_cache_and_task_queue(tmp_path):
    out = _settings_in_subprocess(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15")
    assert "django.core.cache.backends.redis.RedisCache" in out
    assert "django_tasks_rq.RQBackend" in out
