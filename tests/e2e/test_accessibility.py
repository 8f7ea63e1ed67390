"""axe-core (axe-playwright-python, pinned) on each page type: no violation of serious or critical impact."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from tests.e2e.test_pages_fit import log_in, pages_for
from tests.site_world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BLOCKING = {"serious", "critical"}


@pytest.fixture
def world(live_server: LiveServer, settings: object) -> World:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    return build_world()


@pytest.mark.parametrize("width", [1366, 390])
def test_axe_finds_nothing_serious_on_any_page_type(
    browser: Browser, live_server: LiveServer, world: World, width: int
) -> None:
    axe = Axe()
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-IN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    signed_in: str | None = None
    found: dict[str, list[str]] = {}
    try:
        for name, (path, who) in pages_for(world).items():
            if who != signed_in:
                context.clear_cookies()
                if who:
                    log_in(page, live_server.url, who)
                signed_in = who
            page.goto(live_server.url + path)
            violations = axe.run(page).response["violations"]
            blocking = [
                f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in violations
                if v["impact"] in BLOCKING
            ]
            if blocking:
                found[name] = blocking
    finally:
        context.close()
    assert not found, found
