"""Buying a plan in a real browser: paywall, sign-up, checkout, the TEST MODE gateway page, the story
in full; cancelling from the account page; reading to the period's end and meeting the paywall after it.

The live server is a thread of this process, so moving `broadsheet.core.clock.now` moves its time too.
Entitlements are cached per process, but a cached answer only covers times before the period end it
was computed for (billing.entitlements._Held.covers), so moving the clock needs no cache flush.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from broadsheet.billing.models import Invoice, Subscription
from broadsheet.core import clock
from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Clock:
    """Time for the whole process, live server included, shifted by `ahead`."""

    def __init__(self) -> None:
        self.ahead = timedelta(0)

    def now(self):  # type: ignore[no-untyped-def]
        return timezone.now() + self.ahead


@pytest.fixture
def moved_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    moved = Clock()
    monkeypatch.setattr(clock, "now", moved.now)
    yield moved


@pytest.fixture
def shop(live_server: LiveServer, settings: object) -> f.Story:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    f.publication()
    f.demo_plans()
    return f.story(access=Article.Access.PREMIUM)


def expect_locked(page: Page, story: f.Story) -> None:
    expect(page.locator("section.paywall")).to_be_visible()
    html = page.content()
    assert not [tok for tok in story.locked_tokens if tok in html], "locked text reached the browser"


def expect_full_text(page: Page, story: f.Story) -> None:
    for token in story.tokens:
        expect(page.locator(".story-body")).to_contain_text(token)
    expect(page.locator(".paywall")).to_have_count(0)


def subscribe_from_the_paywall(page: Page, story: f.Story) -> None:
    expect_locked(page, story)
    page.locator('li.plan[data-plan="smart-quarterly"]').get_by_role("button", name="Subscribe").click()


def fill_checkout(page: Page) -> None:
    expect(page.get_by_role("heading", name="Subscribe to Smart Quarterly")).to_be_visible()
    assert not any(m in page.content() for m in ("{{", "{%"))
    page.get_by_label("Name on the invoice").fill("Asha Rao")
    page.get_by_label("State or union territory").select_option("Maharashtra")
    page.get_by_role("button", name="Pay ₹900").click()
    expect(page.locator(".test-banner")).to_have_text("TEST MODE")
    expect(page.locator(".amount")).to_have_text("₹900")


def test_a_reader_subscribes_from_the_paywall_reads_cancels_and_reads_until_the_period_ends(
    page: Page, live_server: LiveServer, shop: f.Story, moved_clock: Clock
) -> None:
    story = shop
    page.goto(live_server.url + story.url)
    subscribe_from_the_paywall(page, story)

    # Sign up first, and come back to the same checkout.
    expect(page).to_have_url(re.compile(r"/billing/checkout/smart-quarterly/\?next="))
    page.get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?next="))
    page.locator("input[name=email]").fill("new.reader@example.com")
    page.locator("input[name=password1]").fill(f.PASSWORD)
    page.locator("input[name=password2]").fill(f.PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password2]")).locator("[type=submit]").click()
    fill_checkout(page)

    # Pay on the TEST MODE page, and land on the story in full.
    page.get_by_role("button", name="Simulate success").click()
    expect(page).to_have_url(live_server.url + story.url)
    expect(page.locator(".messages")).to_contain_text("Thank you")
    expect_full_text(page, story)
    sub = Subscription.objects.get(user__email="new.reader@example.com")
    assert sub.status == Subscription.Status.ACTIVE and Invoice.objects.filter(user=sub.user).count() == 1

    # Cancel from the account page: the button, then the confirmation.
    page.goto(live_server.url + "/account/")
    page.get_by_role("link", name="Cancel renewal").click()
    page.get_by_role("button", name="Yes, cancel renewal").click()
    expect(page.locator(".plan-renewal")).to_contain_text("Renewal is off: your plan ends on")
    sub.refresh_from_db()
    assert not sub.auto_renew

    # An hour before the period ends the story still opens; an hour after, the paywall is back.
    moved_clock.ahead = sub.current_period_end - timezone.now() - timedelta(hours=1)
    page.goto(live_server.url + story.url)
    expect_full_text(page, story)
    moved_clock.ahead = sub.current_period_end - timezone.now() + timedelta(hours=1)
    page.goto(live_server.url + story.url)
    expect_locked(page, story)
    expect(page.locator("section.paywall h2")).to_have_text("This is a premium story")


def test_a_declined_payment_says_so_and_grants_nothing(page: Page, live_server: LiveServer, shop: f.Story) -> None:
    story = shop
    reader = f.reader()
    page.goto(live_server.url + story.url)
    page.locator(".paywall-login").get_by_role("link", name="Log in").click()
    page.locator("input[name=login]").fill(reader.email)
    page.locator("input[name=password]").fill(f.PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator("[type=submit]").click()
    expect(page).to_have_url(live_server.url + story.url)
    subscribe_from_the_paywall(page, story)
    fill_checkout(page)

    page.get_by_role("button", name="Simulate decline").click()
    expect(page.locator(".payment-result")).to_have_text(
        "Your payment was declined; you have not been charged and no plan was added."
    )
    expect(page.get_by_role("link", name="Try again")).to_be_visible()
    assert not Subscription.objects.filter(user=reader).exclude(status=Subscription.Status.PENDING).exists()
    assert not Invoice.objects.exists()
    page.goto(live_server.url + story.url)
    expect_locked(page, story)
