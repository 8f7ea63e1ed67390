"""A reader's month, in a real browser: the meter counts down, the paywall closes,
and a subscriber who logs in from the paywall lands back on the story in full.

Runs against pytest-django's live server (a thread of this process, so the factory
data is visible to it) with Debian's Chromium driven by Playwright.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIMIT = 5
PLANS = [
    # name, price, period, per month
    ("Smart Quarterly", "₹900", "3 Months", "₹300/Month"),
    ("Smart Essential", "₹2,700", "1 Year", "₹225/Month"),
    ("Super Saver", "₹3,900", "2 Years", "₹162/Month"),
]


def expect_full_text(page: Page, story: f.Story) -> None:
    body = page.locator(".story-body")
    for token in story.tokens:
        expect(body).to_contain_text(token)
    expect(page.locator(".paywall")).to_have_count(0)


def test_anonymous_reader_hits_the_meter_then_a_subscriber_logs_in_from_the_paywall(
    page: Page, live_server: LiveServer, settings: object, screenshot_dir: Path
) -> None:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    f.publication(anonymous_free_limit=LIMIT, registered_free_limit=LIMIT)
    f.demo_plans()
    metered = [f.story() for _ in range(LIMIT + 1)]
    premium = f.story(access=Article.Access.PREMIUM)
    f.subscriber(email="subscriber@example.com")

    # 1. Five metered stories open in full, each counting down the free allowance.
    for n, story in enumerate(metered[:LIMIT], start=1):
        page.goto(live_server.url + story.url)
        expect(page.locator("#story-headline")).to_have_text(story.article.headline)
        expect(page.locator(".story-body")).to_contain_text(story.tokens[-1])
        expect(page.get_by_text(story.tokens[-1])).to_be_visible()
        countdown = page.locator(".countdown a")
        expect(countdown).to_have_text(
            re.compile(rf"^{LIMIT - n} of {LIMIT} free articles left this month; the count starts again on 1 \w+$")
        )
        expect(countdown).to_have_attribute("href", "/subscribe/")
        expect(page.locator(".paywall")).to_have_count(0)

    # 2. The sixth closes: the lead only, the limit message and the three plans.
    blocked = metered[LIMIT]
    page.goto(live_server.url + blocked.url)
    paywall = page.locator("section.paywall")
    expect(paywall).to_be_visible()
    expect(paywall.locator("h2")).to_have_text(f"You've reached your limit of {LIMIT} free articles this month.")
    expect(page.locator(".countdown")).to_have_count(0)
    expect(page.get_by_text(blocked.tokens[0])).to_be_visible()
    html = page.content()
    leaked = [tok for tok in blocked.locked_tokens if tok in html]
    assert not leaked, f"locked paragraphs reached the browser: {leaked}"

    plans = paywall.locator("li.plan")
    expect(plans).to_have_count(len(PLANS))
    for card, (name, price, period, per_month) in zip(plans.all(), PLANS, strict=True):
        expect(card).to_be_visible()
        expect(card.locator(".plan-name")).to_have_text(name)
        expect(card.locator(".price")).to_have_text(price)
        expect(card.locator(".period")).to_have_text(period)
        expect(card.locator(".per-month")).to_have_text(per_month)
    expect(paywall.get_by_text("Renews automatically, cancel anytime")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "paywall.png"), full_page=True)

    # 3. A premium story is closed to the anonymous reader whatever the meter says.
    page.goto(live_server.url + premium.url)
    paywall = page.locator("section.paywall")
    expect(paywall.locator("h2")).to_have_text("This is a premium story")
    assert not [tok for tok in premium.locked_tokens if tok in page.content()]

    # 4. "Already subscribed? Log in" from the paywall, and back to the story in full.
    paywall.locator(".paywall-login").get_by_role("link", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?"))
    page.locator("input[name=login]").fill("subscriber@example.com")
    page.locator("input[name=password]").fill(f.PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator("[type=submit]").click()
    expect(page).to_have_url(live_server.url + premium.url)
    expect(page.locator("#story-headline")).to_have_text(premium.article.headline)
    expect_full_text(page, premium)
    expect(page.get_by_text("This is a premium story")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out")).to_be_visible()
