"""The e-paper in a real browser: a subscriber opens today's edition, turns to page 3 with the
keyboard, zooms, downloads the PDF and makes a clipping; an anonymous reader opens the clipping's
link and sees the clipping and the offer, not the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from broadsheet.epaper import selectors
from tests import factories as f
from tests.e2e.conftest import wait_until
from tests.epaper import builders as b
from tests.epaper.conftest import epaper_storage  # noqa: F401  (each test its own storage)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(f.PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator("[type=submit]").click()


def test_a_subscriber_reads_saves_and_shares_and_a_stranger_sees_only_the_clipping(
    page: Page, browser: Browser, live_server: LiveServer, settings: object, screenshot_dir: Path
) -> None:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    f.publication()
    f.demo_plans()
    edition, built = b.published(4, day=selectors.today())
    b.epaper_subscriber(email="paper@example.com")
    base = live_server.url

    log_in(page, base, "paper@example.com", "/epaper/")
    expect(page).to_have_url(f"{base}/epaper/{edition.date.isoformat()}/mumbai/1/")
    image = page.locator("[data-ep-page]")
    expect(image).to_be_visible()
    wait_until(page, "() => document.querySelector('[data-ep-page]').naturalWidth > 0")
    page.screenshot(path=str(screenshot_dir / "epaper-viewer.png"))

    # Turn to page 3 with the keyboard: the URL follows, so the reader can come back to it.
    page.locator("[data-ep-stage]").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(f"{base}/epaper/{edition.date.isoformat()}/mumbai/3/")
    expect(page.locator("[data-ep-number]")).to_have_text("3")
    expect(image).to_have_attribute("src", re.compile(r"/epaper/p/[0-9a-f]{32}/3\.webp$"))
    expect(page.locator('[data-ep-goto="3"]')).to_have_attribute("aria-current", "page")
    page.reload()
    expect(page.locator("[data-ep-number]")).to_have_text("3")

    # Zoom in with the button and the keyboard; Fit brings the whole page back.
    before = image.bounding_box()["width"]  # type: ignore[index]
    page.get_by_role("button", name="Zoom in").click()
    page.keyboard.press("+")
    zoomed = image.bounding_box()["width"]  # type: ignore[index]
    assert zoomed > before * 1.5
    page.get_by_role("button", name="Fit").click()
    fitted = image.bounding_box()["width"]  # type: ignore[index]
    assert fitted < zoomed
    stage = page.locator("[data-ep-stage]").bounding_box()
    page.mouse.move(stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2)  # type: ignore[index]
    page.keyboard.down("Control")
    page.mouse.wheel(0, -400)  # Ctrl + wheel, as a trackpad's pinch also arrives
    page.keyboard.up("Control")
    expect(page.locator("[data-ep-number]")).to_have_text("3")
    wait_until(page, "(w) => document.querySelector('[data-ep-page]').getBoundingClientRect().width > w", fitted * 1.5)

    # Download the whole PDF through the reader's own signed link.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"the-test-gazette-mumbai-{edition.date.isoformat()}.pdf"
    saved = screenshot_dir / "epaper-download.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    # Make a clipping: select a rectangle on the page, share it.
    page.get_by_role("button", name="Fit").click()
    page.get_by_role("button", name="Clip").click()
    box = image.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + 240, steps=8)
    page.mouse.up()
    page.get_by_role("button", name="Share this clipping").click()
    link = page.locator("[data-ep-cliplink]")
    expect(link).to_have_value(re.compile(r"/epaper/clip/[\w-]+/$"))
    clip_url = link.input_value()
    page.screenshot(path=str(screenshot_dir / "epaper-clip-dialog.png"))

    # A stranger opens the clipping's link: the clipping, the edition and the offer; not the page.
    stranger = browser.new_context(locale="en-IN", viewport={"width": 390, "height": 844})
    try:
        other = stranger.new_page()
        other.goto(clip_url)
        expect(other.get_by_role("heading", level=1)).to_contain_text("Mumbai edition")
        clipped = other.locator(".ep-clipping figure img")
        expect(clipped).to_be_visible()
        wait_until(other, "() => document.querySelector('.ep-clipping figure img').naturalWidth > 0")
        natural = other.evaluate("document.querySelector('.ep-clipping figure img').naturalWidth")
        assert 0 < natural < 1600 * 0.5
        expect(other.locator("section.paywall h2")).to_have_text("E-paper is included with a subscription")
        html = other.content()
        assert "/epaper/p/" not in html and not any(token in html for token in built.tokens)
        other.screenshot(path=str(screenshot_dir / "epaper-clipping-phone.png"), full_page=True)
        response = other.goto(f"{base}/epaper/{edition.date.isoformat()}/mumbai/3/")
        assert response is not None and response.status == 200
        expect(other.locator("[data-ep-page]")).to_have_count(0)  # the offer, not the viewer
        expect(other.locator("section.paywall")).to_be_visible()
    finally:
        stranger.close()


def test_a_subscriber_finds_a_print_page_from_site_search_and_lands_on_its_match(
    page: Page, live_server: LiveServer, settings: object
) -> None:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    f.publication()
    edition, built = b.published(3, day=selectors.today())
    b.epaper_subscriber(email="paper@example.com")
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})

    log_in(page, base, "paper@example.com", f"/search/?q={built.tokens[2]}")
    print_pages = page.locator(".search-print")
    expect(print_pages).to_contain_text("page 3")
    print_pages.get_by_role("link").first.click()
    expect(page).to_have_url(f"{base}/epaper/{edition.date.isoformat()}/mumbai/3/?find={built.tokens[2]}")
    expect(page.locator("[data-ep-number]")).to_have_text("3")
    # The viewer ran its find for the words and shows the match on the page itself, not the list.
    expect(page.locator(".ep-mark.is-current")).to_be_visible()
    expect(page.locator("input[name=q]").last).to_have_value(built.tokens[2])


def test_on_a_phone_held_upright_the_page_fits_turns_with_a_swipe_and_zooms_with_a_pinch(
    browser: Browser, live_server: LiveServer, settings: object, screenshot_dir: Path
) -> None:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    f.publication()
    edition, _ = b.published(3, day=selectors.today())
    b.epaper_subscriber(email="paper@example.com")
    base = live_server.url
    phone = browser.new_context(locale="en-IN", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page = phone.new_page()
        log_in(page, base, "paper@example.com", "/epaper/")
        expect(page).to_have_url(f"{base}/epaper/{edition.date.isoformat()}/mumbai/1/")
        image = page.locator("[data-ep-page]")
        expect(image).to_be_visible()
        wait_until(page, "() => document.querySelector('[data-ep-page]').naturalWidth > 0")

        # The whole page fits the screen's width, with the controls in reach, and nothing scrolls sideways.
        fitted = image.bounding_box()["width"]  # type: ignore[index]
        assert 250 < fitted <= 390
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        expect(page.get_by_role("link", name="Next page")).to_be_visible()
        expect(page.get_by_role("button", name="Zoom in")).to_be_visible()
        page.screenshot(path=str(screenshot_dir / "epaper-viewer-phone.png"))

        # A swipe to the left turns to the next page, and the address follows.
        stage = page.locator("[data-ep-stage]")
        box = stage.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2
        touch = {"pointerId": 11, "pointerType": "touch", "isPrimary": True, "bubbles": True, "clientY": y}
        stage.dispatch_event("pointerdown", {**touch, "clientX": x})
        stage.dispatch_event("pointermove", {**touch, "clientX": x - 100})
        stage.dispatch_event("pointerup", {**touch, "clientX": x - 200})
        expect(page).to_have_url(f"{base}/epaper/{edition.date.isoformat()}/mumbai/2/")
        expect(page.locator("[data-ep-number]")).to_have_text("2")

        # Two fingers moving apart zoom in on the page.
        cx = box["x"] + box["width"] / 2
        one = {"pointerId": 21, "pointerType": "touch", "isPrimary": True, "bubbles": True, "clientY": y}
        two = {"pointerId": 22, "pointerType": "touch", "isPrimary": False, "bubbles": True, "clientY": y}
        stage.dispatch_event("pointerdown", {**one, "clientX": cx - 20})
        stage.dispatch_event("pointerdown", {**two, "clientX": cx + 20})
        stage.dispatch_event("pointermove", {**one, "clientX": cx - 90})
        stage.dispatch_event("pointermove", {**two, "clientX": cx + 90})
        stage.dispatch_event("pointerup", {**one, "clientX": cx - 90})
        stage.dispatch_event("pointerup", {**two, "clientX": cx + 90})
        wait_until(
            page, "(w) => document.querySelector('[data-ep-page]').getBoundingClientRect().width > w", fitted * 2
        )
        expect(page.locator("[data-ep-number]")).to_have_text("2")
        page.screenshot(path=str(screenshot_dir / "epaper-viewer-phone-pinched.png"))
    finally:
        phone.close()
