"""Every page type at a desktop and a phone width, in Chromium: nothing scrolls sideways or spills out of
its box, the plan cards line up, and every picture carries its size and alt text."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from tests import factories as f
from tests.site_world import ARCHIVE_PAGES, World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (1366, 390)

# Elements whose right edge passes the viewport, or whose content is wider than their own box
# (ignoring boxes that scroll on purpose, like a wide table's wrapper).
OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth, bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || el.closest('.visually-hidden, .skip')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const scrolls = ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX);
    const name = el.tagName + '.' + el.className;
    if (r.right > vw + 1 || r.left < -1) bad.push(name + ' at ' + Math.round(r.left) + '..' + Math.round(r.right));
    else if (!scrolls && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
      bad.push(name + ' content ' + el.scrollWidth + ' > ' + el.clientWidth);
  }
  return bad.slice(0, 10);
}"""
IMAGES_JS = """() => Array.from(document.images).filter(i => !i.closest('.visually-hidden')).map(i => ({
  src: i.currentSrc || i.src, w: i.getAttribute('width'), h: i.getAttribute('height'), alt: i.getAttribute('alt')}))"""


@pytest.fixture
def world(live_server: LiveServer, settings: object) -> World:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    return build_world()


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(base + "/account/")


def pages_for(world: World) -> dict[str, tuple[str, str | None]]:
    """name → (path, who is signed in)."""
    return {
        "home": ("/", None),
        "section": ("/markets/", None),
        "article": (world.pictured.url, None),
        "paywall": (world.blocked.url, None),
        "subscribe": ("/subscribe/", None),
        "login": ("/accounts/login/", None),
        "signup": ("/accounts/signup/", None),
        "checkout": ("/billing/checkout/smart-essential/", world.reader.email),
        "account": ("/account/", world.subscriber.email),
        "gift-buy": ("/billing/gifts/buy/smart-essential/", world.reader.email),
        "gift-redeem": ("/billing/gifts/redeem/", world.reader.email),
        "group-join": ("/billing/groups/join/", world.reader.email),
        "archive-paywall": (world.archived.url, None),
        **{name: (path, None) for name, path in ARCHIVE_PAGES.items()},
        "search": ("/search/?q=headline+number&section=markets", world.subscriber.email),
    }


def check_page(page: Page, name: str, width: int, shots: Path) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways at {width}"
    overflowing = page.evaluate(OVERFLOW_JS)
    assert not overflowing, f"{name} at {width}px: {overflowing}"
    for img in page.evaluate(IMAGES_JS):
        assert img["w"] and img["h"] and img["alt"] is not None and img["alt"].strip(), (name, img)
        assert "/media/pictures/" in img["src"], (name, img)  # a rendition, never an original
    page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)


def check_plan_cards(page: Page, name: str, width: int) -> None:
    cards = page.locator("li.plan").all()
    assert len(cards) == 3, name
    buttons = [box for c in cards if (box := c.locator(".plan-button").bounding_box())]
    prices = [box for c in cards if (box := c.locator(".plan-price").bounding_box())]
    assert len(buttons) == len(prices) == 3
    if width >= 1000:  # side by side: the buttons on one line, the prices on one line
        assert max(b["y"] for b in buttons) - min(b["y"] for b in buttons) < 2, (name, buttons)
        assert max(p["y"] for p in prices) - min(p["y"] for p in prices) < 2, (name, prices)
    else:  # stacked: one above the other, each button full width of its card
        assert max(b["x"] for b in buttons) - min(b["x"] for b in buttons) < 2, (name, buttons)
        assert all(a["y"] < b["y"] for a, b in itertools.pairwise(buttons)), (name, buttons)
    # "· 2 / Years ·": no card's price breaks over more lines than another's.
    assert max(p["height"] for p in prices) - min(p["height"] for p in prices) < 2, (name, prices)
    assert page.locator(".plan-recommended .plan-flag").inner_text().strip().lower() == "best value"
    assert "Save ₹138 a month" in page.locator(".plan-recommended").inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_type_fits_the_screen(
    browser: Browser, live_server: LiveServer, world: World, width: int, screenshot_dir: Path
) -> None:
    signed_in: str | None = None
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-IN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        for name, (path, who) in pages_for(world).items():
            if who != signed_in:
                context.clear_cookies()
                if who:
                    log_in(page, live_server.url, who)
                signed_in = who
            page.goto(live_server.url + path)
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy pictures load
            page.wait_for_load_state("networkidle")
            check_page(page, name, width, screenshot_dir)
            if name in ("paywall", "subscribe"):
                check_plan_cards(page, name, width)
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        context.close()
