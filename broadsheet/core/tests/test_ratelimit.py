"""Core's limiter: settings renamed from moderation's still read, and the one wording."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from broadsheet.core import ratelimit


def test_the_one_wording_for_too_fast():
    assert ratelimit.too_fast_message(doing="trying to sign in", retry_after=200) == (
        "You are trying to sign in too quickly. Please wait 4 minutes and try again."
    )
    assert ratelimit.too_fast_message(doing="reporting", retry_after=1, kept="Kept.") == (
        "You are reporting too quickly. Please wait 1 second and try again. Kept."
    )


def test_limits_parse_and_name_their_setting():
    assert ratelimit.parse_limit("ACCOUNT_RATE_LOGIN", "10/600") == (10, 600)
    with pytest.raises(ImproperlyConfigured, match="ACCOUNT_RATE_LOGIN must look like 10/600"):
        ratelimit.parse_limit("ACCOUNT_RATE_LOGIN", "ten")
    with pytest.raises(ImproperlyConfigured, match="must have positive numbers"):
        ratelimit.parse_limit("ACCOUNT_RATE_LOGIN", "0/600")


def test_old_moderation_variable_names_are_still_read(tmp_path):
    code = "import broadsheet.config.settings as s; print(s.RATE_LIMIT_STORE, s.RATE_LIMIT_CACHE)"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RATE_LIMIT_", "MODERATION_RATE_STORE", "MODERATION_CACHE"))
    }
    env.update(DATA_DIR=str(tmp_path), MODERATION_RATE_STORE="cache", MODERATION_CACHE="other")
    old = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    env.update(RATE_LIMIT_STORE="database")
    new = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert (old.stdout, new.stdout) == ("cache other\n", "database other\n")
