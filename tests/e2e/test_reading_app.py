"""The reading app in Chromium: install it, sign in, read, save, read offline, meet the
offer online and offline, and sign out (here, or from another device) leaving nothing behind.

A persistent profile (installing needs one; incognito contexts cannot install), pytest-django's
live server, Debian's Chromium. The app talks to the API alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from broadsheet.core import clock, generations
from broadsheet.newsroom.models import Article
from broadsheet.readers import devices
from broadsheet.readers.models import Device
from tests import factories as f
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, wait_until
from tests.epaper import builders as eb
from tests.pictures.builders import picture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def app_context(tmp_path: Path) -> Iterator[BrowserContext]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                str(tmp_path / "profile"),
                executable_path=CHROMIUM,
                args=CHROMIUM_ARGS,
                headless=True,
                locale="en-IN",
                viewport={"width": 390, "height": 844},
            )
            context.set_default_timeout(8_000)
            try:
                yield context
            finally:
                context.close()


def kept(page: Page) -> str:
    """Everything the app keeps in this browser's storage, as one string."""
    return str(page.evaluate("JSON.stringify(Object.entries(localStorage))"))


def install(page: Page, base: str) -> dict[str, Any]:
    page.goto(base + "/app/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # from now on the service worker controls the page
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    cdp.send("PWA.install", {"manifestId": base + "/app/"})
    state: dict[str, Any] = cdp.send("PWA.getOsAppState", {"manifestId": base + "/app/"})
    return state


def sign_in(page: Page, email: str) -> None:
    page.goto(page.url.split("#")[0] + "#/account")
    page.fill("#email", email)
    page.fill("#password", f.PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#account-tab")).to_have_text("Account")


def test_install_sign_in_read_save_offline_offer_and_sign_out(
    app_context: BrowserContext, live_server: LiveServer, settings: object, screenshot_dir: Path
) -> None:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    f.publication(anonymous_free_limit=5, registered_free_limit=5)
    f.demo_plans()
    metered = f.story(headline="Monsoon arrives early over the Kerala coast")
    premium = f.story(access=Article.Access.PREMIUM, headline="Why mid-cap valuations look stretched")
    reader = f.reader("app-reader@example.com")
    page = app_context.pages[0] if app_context.pages else app_context.new_page()

    # 1. The app installs: manifest, icons and service worker as Chromium wants them.
    assert install(page, live_server.url) is not None
    expect(page.get_by_role("link", name=metered.article.headline).first).to_be_visible()

    # 2. Sign in, open a metered story in full, save it.
    sign_in(page, reader.email)
    page.get_by_role("link", name=metered.article.headline).first.click()
    expect(page.locator("#story-headline")).to_have_text(metered.article.headline)
    for token in metered.tokens:
        expect(page.locator(".story-body")).to_contain_text(token)
    page.click("#save")
    expect(page.locator("#save")).to_have_text("Saved · remove")

    # 3. A premium story: the lead and the offer, and nothing locked reaches the device.
    page.goto(f"{live_server.url}/app/#/article/{premium.article.pk}")
    offer = page.locator("section.paywall")
    expect(offer.locator("h2")).to_have_text("This is a premium story")
    expect(offer.locator("li.plan")).to_have_count(3)
    expect(offer.locator(".price").first).to_have_text("₹900")
    page.screenshot(path=str(screenshot_dir / "app-offer.png"), full_page=True)
    assert premium.tokens[0] in page.content()
    for where in (page.content(), kept(page)):
        assert not [t for t in premium.locked_tokens if t in where]

    # 4. Offline: the app still opens (service worker), with the saved story in full ...
    app_context.set_offline(True)
    page.goto(f"{live_server.url}/app/#/saved")
    expect(page.locator("#offline")).to_be_visible()
    page.get_by_role("link", name=metered.article.headline).click()
    expect(page.locator(".story-body")).to_contain_text(metered.tokens[-1])
    page.screenshot(path=str(screenshot_dir / "app-offline-saved.png"), full_page=True)
    # ... the last front it showed ...
    page.goto(f"{live_server.url}/app/#/")
    expect(page.get_by_role("link", name=premium.article.headline).first).to_be_visible()
    # ... and the locked story shows its offer, offline too.
    page.goto(f"{live_server.url}/app/#/article/{premium.article.pk}")
    expect(page.locator("section.paywall h2")).to_have_text("This is a premium story")
    assert not [t for t in premium.locked_tokens if t in page.content()]

    # 5. Back online, sign out: the saved story and everything else the app kept are gone.
    app_context.set_offline(False)
    page.goto(f"{live_server.url}/app/#/account")
    page.click("#sign-out")
    expect(page.locator("#message")).to_contain_text("signed out")
    assert set(json.loads(page.evaluate("JSON.stringify(Object.keys(localStorage))"))) <= {"bs.front"}
    assert not [t for t in metered.tokens[1:] if t in kept(page)]  # the front it may keep holds no text
    page.goto(f"{live_server.url}/app/#/saved")
    expect(page.locator(".empty")).to_be_visible()
    assert not Device.objects.filter(user=reader, revoked_at__isnull=True).exists()


def test_signed_out_from_another_device_the_app_forgets_what_it_kept(
    app_context: BrowserContext, live_server: LiveServer, settings: object
) -> None:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    f.publication()
    f.demo_plans()
    story = f.story(access=Article.Access.PREMIUM, headline="A premium story to keep")
    subscriber = f.subscriber()
    page = app_context.new_page()
    page.goto(live_server.url + "/app/")
    sign_in(page, subscriber.email)
    page.goto(f"{live_server.url}/app/#/article/{story.article.pk}")
    page.click("#save")
    assert story.tokens[-1] in kept(page)
    device = Device.objects.get(user=subscriber, kind=Device.Kind.APP, revoked_at__isnull=True)
    devices.device_revoke(device=device, reason=devices.Reason.SIGNED_OUT, actor_id=subscriber.pk, at=clock.now())
    page.reload()  # the app checks its token on start: 401 token_revoked
    expect(page.locator("#message")).to_contain_text("signed out on another device")
    assert story.tokens[-1] not in kept(page)
    assert "bs.token" not in kept(page) and "bs.saved" not in kept(page)


def test_the_e_paper_in_the_app_for_its_holder_and_the_offer_for_others(
    app_context: BrowserContext, live_server: LiveServer, settings: Any, screenshot_dir: Path, tmp_path: Path
) -> None:
    """The holder pages through an edition (signed images), reads a page's text and gets the PDF;
    a reader without the e-paper sees the front page and the offer. Nothing of it is kept."""
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "epaper": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "epaper"), "base_url": None},
        },
        "picture_originals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "originals"), "base_url": None},
        },
    }
    f.publication()
    f.demo_plans()
    holder = eb.epaper_subscriber("paper-reader@example.com")
    edition, built = eb.published(3, edition="Mumbai")
    story = f.story(headline="Boats return to the harbour after the storm")
    Article.objects.filter(pk=story.article.pk).update(lead_picture=picture("harbour", alt="Fishing boats at dawn"))
    generations.bump("newsroom")
    page = app_context.pages[0] if app_context.pages else app_context.new_page()
    page.goto(live_server.url + "/app/")

    # The front's cards carry their lead pictures, loaded at the size the card asks for.
    shown = page.locator(".card.with-pic img[alt='Fishing boats at dawn']").first
    expect(shown).to_be_visible()
    wait_until(page, "(img) => img.complete && img.naturalWidth > 0", shown.element_handle())
    page.screenshot(path=str(screenshot_dir / "app-front-pictures-390.png"), full_page=False)

    # Not entitled (signed out): the front page thumbnail and the offer, no page.
    page.goto(f"{live_server.url}/app/#/epaper")
    expect(page.locator(".edition").first).to_contain_text("Mumbai")
    page.locator(".edition a").first.click()
    expect(page.locator("section.paywall h2")).to_have_text("E-paper is included with a subscription")
    expect(page.locator("img.epaper-page")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "app-epaper-offer-390.png"), full_page=True)

    # The holder: the pages as printed, page by page.
    sign_in(page, holder.email)
    page.goto(f"{live_server.url}/app/#/epaper/{edition.date.isoformat()}/{edition.slug}/1")
    first = page.locator("img.epaper-page")
    expect(first).to_be_visible()
    wait_until(page, "() => document.querySelector('img.epaper-page').naturalWidth > 0")
    page.click("a[rel=next]")
    expect(page.locator("#page-count")).to_have_text("Page 2 of 3")
    page.click("#show-text")
    expect(page.locator("#page-text")).to_contain_text(built.tokens[1])
    expect(page.locator("#download")).to_have_attribute("target", "_blank")
    href = page.locator("#download").get_attribute("href") or ""
    assert href.startswith("/epaper/pdf/")
    pdf = app_context.request.get(live_server.url + href)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    wait_until(page, "() => document.querySelector('img.epaper-page').naturalWidth > 0")
    page.screenshot(path=str(screenshot_dir / "app-epaper-page-390.png"), full_page=False)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(screenshot_dir / "app-epaper-page-1366.png"), full_page=False)
    page.goto(f"{live_server.url}/app/#/epaper")
    expect(page.locator(".edition").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "app-epaper-list-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})

    # Nothing of the e-paper is in the app's storage, nor kept by the service worker.
    stored = kept(page)
    assert not [t for t in built.tokens if t in stored] and "/epaper/" not in stored
    cached = page.evaluate(
        "caches.keys().then(ns => Promise.all(ns.map(n => caches.open(n).then(c => c.keys()))))"
        ".then(all => all.flat().map(r => r.url))"
    )
    assert not [u for u in cached if "/epaper/" in u or "/api/" in u]

    # Signed out, the links the app was given no longer open.
    page.goto(f"{live_server.url}/app/#/epaper/{edition.date.isoformat()}/{edition.slug}/1")
    expect(page.locator("img.epaper-page")).to_be_visible()
    image = page.locator("img.epaper-page").get_attribute("src")
    page.goto(f"{live_server.url}/app/#/account")
    page.click("#sign-out")
    expect(page.locator("#message")).to_contain_text("signed out")
    assert app_context.request.get(live_server.url + (image or "")).status == 403
