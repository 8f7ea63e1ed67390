"""What the walk-through found broken outside billing's money paths, each held by a test that failed before."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from broadsheet.billing.invoices.pdf import invoice_lines, invoice_pdf
from broadsheet.billing.models import Benefit, Invoice, Offer, Organisation, OrganisationSeat
from broadsheet.core.site import site_url_record
from broadsheet.pictures.demo_art import masthead_logo
from broadsheet.pictures.services import picture_create
from tests import factories as f
from tests.mailserver import Inbox

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_a_seat_holder_is_told_what_they_hold_and_through_whom(client: Client) -> None:
    publication = f.publication()
    plan = f.premium_plan()
    now = timezone.now()
    org = Organisation.objects.create(
        name="Demo University Library", plan=plan, seats=5, join_code="DEMO-LIBRARY",
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=300),
    )  # fmt: skip
    reader = f.reader()
    OrganisationSeat.objects.create(organisation=org, user=reader, taken_at=now)
    client.force_login(reader)
    page = client.get("/account/").content.decode()
    plan_part = page[page.index('id="plan-h"') : page.index("</section>", page.index('id="plan-h"'))]
    assert "You have no plan" not in plan_part
    assert "Group access through Demo University Library" in plan_part
    # The day is the publication's: near midnight it differs from the server's UTC date.
    ends = timezone.localtime(org.ends_at, ZoneInfo(publication.time_zone))
    assert f"until {ends:%-d %B %Y}" in plan_part
    assert "Premium stories" in plan_part  # what the seat includes


def test_partner_access_names_the_partner_what_it_includes_where_to_redeem_and_until_when(client: Client) -> None:
    f.publication()
    call_command("partner_demo_pool", verbosity=0)
    user = f.subscriber()
    benefit, _ = Benefit.objects.get_or_create(code="partner", defaults={"name": "Partner publication access"})
    f.premium_plan().benefits.add(benefit)
    client.force_login(user)
    before = client.get("/account/").content.decode()
    assert "Claim your The Deccan Ledger code" in before
    assert "deccan-ledger.example/redeem" in before
    pool_id = re.search(r'action="/account/partners/(\d+)/claim/"', before).group(1)
    client.post(f"/account/partners/{pool_id}/claim/")
    after = client.get("/account/").content.decode()
    section = after[after.index('id="partners-h"') :]
    assert "The Deccan Ledger" in section and "Partner Publication" not in section
    assert "digital edition: every story" in section
    assert re.search(r'Enter it at <a href="https://deccan-ledger.example/redeem"', section)
    assert re.search(r"by \d{1,2} \w+ 20\d\d\.", section)


def test_the_countdown_is_a_quiet_link_to_the_plans_that_says_when_it_resets(client: Client) -> None:
    f.publication(anonymous_free_limit=5)
    f.demo_plans()
    body = client.get(f.story().url).content.decode()
    match = re.search(r'<p class="countdown"><a href="/subscribe/">(.*?)</a></p>', body)
    assert match, "the countdown is not a link to the plans"
    first_of_next = (timezone.localdate() + timedelta(days=32)).replace(day=1)
    assert match.group(1) == f"4 of 5 free articles left this month; the count starts again on 1 {first_of_next:%B}"


# --- mail links come from the configured site URL ------------------------------------------


def test_allauths_mails_link_to_the_configured_site_not_the_requests_host(
    client: Client, settings: object, smtp: Inbox
) -> None:
    settings.SITE_URL = "https://news.example.in"  # type: ignore[attr-defined]
    f.publication()
    f.reader(email="forgetful@example.com")
    client.post("/accounts/password/reset/", {"email": "forgetful@example.com"})
    body = smtp.body()
    assert re.search(r"https://news\.example\.in/accounts/password/reset/key/\S+", body), body
    assert "testserver" not in body


def test_commands_link_mail_to_the_address_the_site_was_served_on(tmp_path: Path) -> None:
    """`PORT=9000 make demo`, then `broadsheet renew` by hand (no PORT): the renewal mail links to :9000."""
    (tmp_path / "site-url").write_text("http://127.0.0.1:9000\n")
    drop = ("PORT", "BROADSHEET_SITE_URL", "DATABASE_URL", "PYTEST_XDIST_WORKER")  # a worker gets a data dir of its own
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env |= {
        "BROADSHEET_DATA_DIR": str(tmp_path),
        "BROADSHEET_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
    }
    assert _site_url_in_a_new_process(env) == "http://127.0.0.1:9000"
    env["BROADSHEET_SITE_URL"] = "https://news.example.in/"
    assert _site_url_in_a_new_process(env) == "https://news.example.in"  # the configured address wins


def _site_url_in_a_new_process(env: dict[str, str]) -> str:
    code = "import django; django.setup(); from broadsheet.core.site import site_url; print(site_url())"
    argv = [sys.executable, "-c", code]
    return subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603


def test_serve_records_the_address_it_serves_on(tmp_path: Path, settings: object) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    site_url_record("http://127.0.0.1:8114")
    assert (tmp_path / "site-url").read_text() == "http://127.0.0.1:8114\n"


# --- receipts and invoices ----------------------------------------------------------------------


def _buy_with_offer(client: Client) -> Invoice:
    Offer.objects.create(code="WELCOME20", kind="percent", value=2000)
    started = client.post(
        "/billing/checkout/smart-essential/",
        {"buyer_state": "Karnataka", "offer_code": "WELCOME20", "action": "pay", "buyer_name": "Asha Rao"},
    )
    assert started.status_code == 302, started.content.decode()
    client.post(started["Location"], {"choice": "success"})
    return Invoice.objects.get()


def test_the_receipt_states_the_renewal_and_carries_the_invoice(
    client: Client, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    f.publication()
    f.demo_plans()
    client.force_login(f.reader())
    with django_capture_on_commit_callbacks(execute=True):
        invoice = _buy_with_offer(client)
    receipt = next(m for m in smtp.messages if m["Subject"].startswith("Payment received"))
    text = next(p for p in receipt.walk() if p.get_content_type() == "text/plain")
    body = bytes(text.get_payload(decode=True)).decode()
    sub = invoice.subscription
    renews = f"{timezone.localtime(sub.current_period_end, timezone.get_fixed_timezone(330)):%-d %B %Y}"
    assert f"renews automatically on {renews} at ₹2,700 (GST included)" in body, body
    attachments = [p for p in receipt.walk() if p.get_content_type() == "application/pdf"]
    assert len(attachments) == 1 and attachments[0].get_filename() == f"{invoice.number.replace('/', '_')}.pdf"
    assert attachments[0].get_payload(decode=True).startswith(b"%PDF")
    assert f"/billing/invoices/{invoice.number.replace('/', '_')}/pdf" in body


def test_the_invoice_carries_the_publication_discount_period_and_payment_reference(client: Client) -> None:
    pub = f.publication()
    art = masthead_logo(pub.name)
    pub.logo = picture_create(data=art.png, name="logo.png", alt="Logo")
    pub.save()
    f.demo_plans()
    client.force_login(f.reader())
    invoice = _buy_with_offer(client)
    rows = dict(invoice_lines(invoice).rows())
    assert rows["Publication"] == "The Test Gazette"
    assert rows["List price"] == "₹2,700" and rows["Discount (offer WELCOME20)"] == "-₹540"
    assert rows["Total (tax included)"] == "₹2,160"
    assert re.fullmatch(r"\d\d \w{3} 20\d\d to \d\d \w{3} 20\d\d", rows["Service period"])
    assert rows["Payment reference"] == invoice.payment_ref and invoice.payment_ref
    pdf = invoice_pdf(invoice, compress=False)
    assert b"/Subtype /Image" in pdf  # the logo


def test_no_mail_carries_a_template_marker() -> None:
    for message in mail.outbox:
        assert "{{" not in message.body and "{%" not in message.body
