"""Suite-wide fixtures: empty caches, the browser, and the rule that CI never skips a service."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SEED_DIR = Path(__file__).resolve().parent.parent / "shared" / "seed"
SEED_PAGE = SEED_DIR / "000_784272937f8abc39.txt"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def missing_service(reason: str) -> None:
    """Skip on a developer's laptop; fail in CI, where every service must be present."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Start and end every test with empty caches: rate limits and rendered comments live there.

    The referee's per-process memory of bans, word lists and the spam model is dropped too: a
    transactional test's flush empties tables without the signals that would refresh it.
    """
    from django.core.cache import cache

    from broadsheet.moderation import selectors, spam

    cache.clear()
    selectors.forget()
    spam.forget()
    yield
    cache.clear()
    selectors.forget()
    spam.forget()


@pytest.fixture(scope="session")
def seed_page() -> Path:
    """The seed page given by the product's user (test data, read from ../shared/seed)."""
    if not SEED_PAGE.exists():
        missing_service(f"the seed page {SEED_PAGE} is missing")
    return SEED_PAGE


@pytest.fixture(scope="session")
def browser_instance() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright, shared by the session."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing_service(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser_instance) -> Iterator[object]:
    """A fresh browser tab in its own context (cookies, storage) for one test."""
    context = browser_instance.new_context()
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
