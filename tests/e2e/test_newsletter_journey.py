"""Newsletters in a real browser: an address signs up at the end of a story and confirms from the mail;
a registered reader joins in one click and leaves again from the preference centre."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from broadsheet.newsletters.models import Membership
from tests import factories as f
from tests.newsletters import builders as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_address_signs_up_from_a_story_and_confirms_from_the_mail(
    page: Page, live_server: LiveServer, settings: Any, smtp: Any, screenshot_dir: Path
) -> None:
    settings.SITE_URL = live_server.url
    f.publication()
    b.newsletter(name="Morning Brief", description="The five stories to know before your first meeting.")
    story = f.story(access="free")
    page.goto(live_server.url + story.url)
    box = page.locator(".newsletter-box")
    expect(box).to_contain_text("Morning Brief")
    box.get_by_label("Your e-mail address").fill("reader.one@example.org")
    box.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    assert Membership.objects.get().status == "pending"
    link = re.search(r"http://\S+/newsletters/confirm/\S+/", smtp.body())
    assert link, smtp.body()
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm my sign-up").click()
    expect(page.get_by_role("heading", name="You're signed up")).to_be_visible()
    expect(page.get_by_role("link", name="Create a free account")).to_be_visible()
    assert Membership.objects.get().status == "active"
    page.screenshot(path=str(screenshot_dir / "newsletter-confirmed.png"), full_page=True)


def test_a_registered_reader_joins_in_one_click_and_leaves_from_the_account_page(
    page: Page, live_server: LiveServer, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    f.publication()
    newsletter = b.newsletter("registered", name="Morning Markets")
    reader = f.reader("markets.reader@example.org")
    EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(reader.email)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In|Log in", re.I)).click()
    page.goto(live_server.url + f.story(access="free").url)
    page.get_by_role("button", name="Sign up in one click").click()
    expect(page.locator(".messages")).to_contain_text("You are signed up for Morning Markets.")
    page.goto(live_server.url + "/account/#newsletters")
    choice = page.locator("#newsletters").get_by_label(re.compile("Morning Markets"))
    expect(choice).to_be_checked()
    choice.uncheck()
    page.get_by_role("button", name="Save newsletters").click()
    expect(page.locator(".messages")).to_contain_text("Your newsletters are saved.")
    assert Membership.objects.get(newsletter=newsletter).status == "unsubscribed"
