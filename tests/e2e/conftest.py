"""Fixtures for the browser tier: Debian's Chromium, driven by Playwright's sync API."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Waits, not delays: a passing step returns at once, and a loaded CI machine gets room to answer.
WAIT_MS = 15_000
expect.set_options(timeout=WAIT_MS)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """A headless Chromium per test module (Playwright never downloads its own).

    Playwright's sync API keeps an event loop running in the test thread, and Django
    refuses ORM calls made under one (SynchronousOnlyOperation). The escape hatch is
    set only while the browser is up, so tests outside this tier keep Django's check.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield chromium
            finally:
                chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context: no cookies, no storage."""
    context = browser.new_context(locale="en-IN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    """var/screenshots (var/ is git-ignored), created on demand."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def wait_until(page: Page, predicate: str, arg: object = None, timeout_ms: int = 10_000) -> None:
    """Poll `predicate` (a JavaScript function of `arg`) until it returns true.

    Playwright's own `wait_for_function` re-checks its predicate through eval(), which the
    site's Content-Security-Policy (no 'unsafe-eval') refuses whenever the first check is
    false, as it is on a loaded machine; `page.evaluate` calls the function without eval."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_ms} ms: {predicate}")
        page.wait_for_timeout(50)
