"""Search on a phone: from the header box, narrowed to a section, into a story."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _paper() -> dict[str, f.Story]:
    f.publication()
    markets, india = f.section("markets", "Markets"), f.section("india", "India")
    stories = {
        "markets": f.story(sec=markets, headline="Monsoon lifts fertiliser shares", access=Article.Access.FREE),
        "india": f.story(sec=india, headline="Monsoon arrives early in Kerala", access=Article.Access.FREE),
        "locked": f.story(sec=markets, headline="Monsoon bets split the trading desks", access=Article.Access.PREMIUM),
    }
    for n in range(12):
        f.story(sec=india, headline=f"Monsoon diary, day {n + 1}")
    return stories


@pytest.mark.parametrize("width", [390, 1366])
def test_search_from_the_header_filter_by_section_and_open_a_result(
    browser: Browser, live_server: LiveServer, settings: object, screenshot_dir: Path, width: int
) -> None:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    stories = _paper()
    context = browser.new_context(viewport={"width": width, "height": 860}, locale="en-IN")
    context.set_default_timeout(8_000)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        box = page.get_by_role("searchbox", name="Search the paper")
        expect(box).to_be_visible()
        box.fill("monsoon")
        box.press("Enter")
        page.wait_for_url("**/search/?q=monsoon")
        expect(page.locator(".search-summary")).to_contain_text("15 stories for monsoon")
        expect(page.locator(".search-result")).to_have_count(10)
        expect(page.locator(".search-result mark").first).to_have_text("Monsoon")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(screenshot_dir / f"search-results-{width}.png"), full_page=True)

        filters = page.locator("details.search-filters")
        if not filters.evaluate("d => d.open"):
            filters.locator("summary").click()
        page.get_by_label("Section", exact=True).select_option("markets")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url("**section=markets**")
        results = page.locator(".search-result")
        expect(results).to_have_count(2)
        expect(results.locator(".kicker a")).to_have_text(["Markets", "Markets"])
        expect(results.filter(has_text="trading desks").locator(".badge")).to_have_text("Premium")
        assert stories["locked"].tokens[2] not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(screenshot_dir / f"search-filtered-{width}.png"), full_page=True)

        page.get_by_role("link", name="Monsoon lifts fertiliser shares").click()
        page.wait_for_url("**" + stories["markets"].url)
        expect(page.locator("#story-headline")).to_have_text("Monsoon lifts fertiliser shares")
        expect(page.locator(".story-body")).to_contain_text(stories["markets"].tokens[-1])
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_a_search_that_takes_too_long_reads_as_advice(
    browser: Browser, live_server: LiveServer, settings: object, screenshot_dir: Path, width: int
) -> None:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    settings.BROADSHEET_SEARCH_TIMEOUT_MS = 1  # type: ignore[attr-defined]
    f.publication()
    india = f.section("india", "India")
    when = timezone.now() - timedelta(hours=1)
    Article.objects.bulk_create(
        Article(
            headline=f"Monsoon diary, day {n + 1}",
            slug=f"monsoon-diary-{n}",
            standfirst="Rain over the coast and the hills",
            body="<p>" + " ".join(["monsoon rain falls on the plains and the hills"] * 10) + "</p>",
            lead="<p>Monsoon rain.</p>",
            section=india,
            access=Article.Access.FREE,
            status=Article.Status.PUBLISHED,
            published_at=when - timedelta(minutes=n),
        )
        for n in range(3000)
    )
    context = browser.new_context(viewport={"width": width, "height": 860}, locale="en-IN")
    context.set_default_timeout(8_000)
    page = context.new_page()
    try:
        response = page.goto(live_server.url + "/search/?q=monsoon+rain")
        assert response is not None and response.status == 200
        expect(page.locator(".search-help")).to_contain_text("This search took too long")
        expect(page.locator(".search-result")).to_have_count(0)
        expect(page.get_by_role("searchbox", name="Search for")).to_have_value("monsoon rain")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(screenshot_dir / f"search-too-slow-{width}.png"), full_page=True)
    finally:
        context.close()
