"""Ad slots in a real browser: every slot for a reader who sees ads; for an ad-free
subscriber no ad element at all and the story widens into the space."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from broadsheet.ads.models import AdSlot
from broadsheet.newsroom.models import Article
from tests import factories as f
from tests.ads.test_ad_slots import ad_free_reader

HOUSE_ADS = import_module("broadsheet.ads.migrations.0002_house_ads").HOUSE_ADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(base + "/account/")


def test_ads_for_one_reader_and_a_closed_layout_for_an_ad_free_one(
    page: Page, live_server: LiveServer, settings: object, screenshot_dir: Path
) -> None:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    for place, snippet in HOUSE_ADS.items():  # transactional tests flush the migration's rows
        AdSlot.objects.update_or_create(place=place, defaults={"snippet": snippet, "active": True})
    f.publication()
    f.demo_plans()
    story = f.story(access=Article.Access.PREMIUM, paragraphs=8)
    reader = ad_free_reader()

    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(live_server.url + story.url)
    for place in ("header", "in-article", "sidebar"):
        expect(page.locator(f"aside.ad-{place}")).to_be_visible()
    with_ads = page.locator("article.story").bounding_box()
    page.screenshot(path=str(screenshot_dir / "ads-shown.png"), full_page=True)

    log_in(page, live_server.url, reader.email)
    page.goto(live_server.url + story.url)
    expect(page.locator(".story-body")).to_contain_text(story.tokens[-1])
    expect(page.locator("aside.ad")).to_have_count(0)
    expect(page.locator(".house-ad")).to_have_count(0)
    ad_free = page.locator("article.story").bounding_box()
    page.screenshot(path=str(screenshot_dir / "ads-free.png"), full_page=True)

    assert with_ads is not None and ad_free is not None
    # Without the sidebar the story is centred on the page: no empty column is left where ads were.
    page_width = 1400
    assert abs((ad_free["x"] + ad_free["width"] / 2) - page_width / 2) < 30
    assert ad_free["x"] > with_ads["x"]
    # And nothing was fetched from an ad host: the page made no request outside the site.
    assert page.locator("script[src*='adnet'], iframe[src*='adnet']").count() == 0
