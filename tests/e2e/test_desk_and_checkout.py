"""The desk in a browser (the slug follows the headline, the rich-text editor loads under the CSP) and the
checkout's GST split appearing as soon as a state is chosen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests import factories as f
from tests.e2e.test_pages_fit import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_slug_follows_the_headline_and_the_editor_loads(page: Page, live_server: LiveServer) -> None:
    f.publication()
    f.section("markets", "Markets")
    f.reader(email="desk@example.com", is_staff=True, is_superuser=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/accounts/login/?next=/admin/")
    page.fill("input[name=login]", "desk@example.com")
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.goto(live_server.url + "/admin/newsroom/article/add/")
    expect(page.locator("#site-name")).to_contain_text("The Test Gazette")
    page.locator("#id_headline").press_sequentially("Rupee ends at a record low")
    expect(page.locator("#id_slug")).to_have_value("rupee-ends-at-a-record-low")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.type("The rupee closed at its weakest.")
    expect(editor).to_contain_text("The rupee closed at its weakest.")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_the_gst_split_appears_when_the_state_is_chosen(page: Page, live_server: LiveServer) -> None:
    f.publication()
    f.demo_plans()
    reader = f.reader()
    log_in(page, live_server.url, reader.email)
    page.goto(live_server.url + "/billing/checkout/smart-essential/")
    expect(page.locator(".cgst")).to_have_count(0)
    page.select_option("select[name=buyer_state]", "Maharashtra")
    expect(page.locator(".cgst")).to_have_text("₹205.93")
    expect(page.locator(".sgst")).to_have_text("₹205.93")
    page.select_option("select[name=buyer_state]", "Karnataka")
    expect(page.locator(".igst")).to_have_text("₹411.86")
    expect(page.locator(".renewal-terms")).to_contain_text(
        re.compile(r"renews automatically on \d+ \w+ 20\d\d at ₹2,700")
    )
    expect(page.locator(".total-amount")).to_have_text("₹2,700")
