"""The account page's billing part: the plan in words, invoices as PDF (owner only), payment history."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.billing.invoices.services import credit_note_issue
from broadsheet.billing.models import Invoice, Payment
from broadsheet.billing.statements import url_number
from broadsheet.core import clock
from tests import factories as f
from tests.billing.test_self_service import bought

pytestmark = pytest.mark.django_db
MARKERS = ("{{", "{%")


@pytest.fixture
def world(client: Client) -> dict:
    f.publication()
    plans = {p.slug: p for p in f.demo_plans()}
    user = f.reader()
    client.force_login(user)
    return {"plans": plans, "user": user, "sub": bought(user, plans["smart-essential"])}


def account(client: Client) -> str:
    return client.get(reverse("account")).content.decode()


def test_the_account_page_shows_plan_renewal_next_charge_invoices_and_payments(client: Client, world: dict) -> None:
    sub = world["sub"]
    body = account(client)
    assert "Smart Essential" in body and "Active" in body
    assert f"Renews on {f.day_shown(sub.current_period_end)}; the next charge is ₹2,700." in body
    invoice = Invoice.objects.get(user=world["user"])
    assert invoice.number in body and reverse("billing_invoice_pdf", args=[url_number(invoice.number)]) in body
    payment = Payment.objects.get(user=world["user"])
    assert "Payment history" in body and payment.gateway_payment_id in body and "Paid" in body
    assert not any(m in body for m in MARKERS)


def test_credit_notes_are_listed_with_the_invoices(client: Client, world: dict) -> None:
    invoice = Invoice.objects.get(user=world["user"])
    note = credit_note_issue(invoice=invoice, amount_minor=50000, reason="goodwill", at=clock.now())
    body = account(client)
    assert note.number in body and "Credit note" in body and "₹500" in body


def test_an_invoice_pdf_is_for_its_owner_only(client: Client, world: dict) -> None:
    invoice = Invoice.objects.get(user=world["user"])
    url = reverse("billing_invoice_pdf", args=[url_number(invoice.number)])
    assert "/" not in url_number(invoice.number)
    mine = client.get(url)
    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    assert mine.content.startswith(b"%PDF")
    client.force_login(f.reader())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_reader_without_a_plan_sees_the_meter_and_the_way_to_the_plans(client: Client) -> None:
    f.publication()
    client.force_login(f.reader())
    body = account(client)
    assert "You have no plan" in body and reverse("subscribe") in body
    assert "Invoices" not in body and "Payment history" not in body


def test_a_cancelled_plan_says_when_it_ends_and_charges_nothing_more(client: Client, world: dict) -> None:
    sub = world["sub"]
    client.post(reverse("billing_subscription_cancel", args=[sub.pk]))
    body = account(client)
    assert f"Renewal is off: your plan ends on {f.day_shown(sub.current_period_end)}" in body
    assert "the next charge is" not in body and "Cancel renewal" not in body
