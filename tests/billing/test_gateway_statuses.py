"""What the statuses of subscriptions a gateway renews itself do here (issue 9, "decide and document").

Stripe's trialing, incomplete, active and past_due are stored and reported
(the invoices decide access); unpaid, paused and incomplete_expired stop
renewal, as Razorpay's subscription.halted does; canceled cancels. Each is a
signed delivery to the webhook endpoint (docs/gateways.md says the same).
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.models import InboxEvent, LedgerEntry, Subscription
from broadsheet.billing.payments.settlement import payment_settle
from broadsheet.billing.renewals.run import renewal_run
from tests.billing.test_webhooks import checkout, fresh, live_gateways, post, rzp_signed, stripe_signed  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("live_gateways")]


def renewed_by(gateway: str, ref: str) -> Subscription:
    """An active subscription the gateway renews itself (its first period paid)."""
    sub, payment = checkout(gateway, gateway_ref=ref)
    payment_settle(payment_id=payment.pk, outcome="succeeded", at=timezone.now(), actor="test", gateway_payment_id="p1")
    return fresh(sub)


def stripe_status(client: Client, ref: str, status: str, kind: str = "customer.subscription.updated") -> InboxEvent:
    obj = {"id": ref, "object": "subscription", "status": status, "customer": "cus_1"}
    payload = {"id": f"evt_{status}_{kind}", "object": "event", "type": kind, "data": {"object": obj}}
    assert post(client, "stripe", *stripe_signed(payload)).status_code == 200
    return InboxEvent.objects.get(event_id=payload["id"])


@pytest.mark.parametrize("status", ["trialing", "incomplete", "active", "past_due"])
def test_stripe_statuses_that_invoices_decide_are_stored_and_reported(client: Client, status: str) -> None:
    sub = renewed_by("stripe", "sub_st_1")
    before = list(Subscription.objects.filter(pk=sub.pk).values())
    row = stripe_status(client, "sub_st_1", status)
    assert row.status == InboxEvent.Status.IGNORED and f"({status}) is not acted on" in row.error
    assert row.gateway_type == f"customer.subscription.updated ({status})"
    assert list(Subscription.objects.filter(pk=sub.pk).values()) == before


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        ("unpaid", "customer.subscription.updated"),
        ("paused", "customer.subscription.paused"),
        ("incomplete_expired", "customer.subscription.updated"),
    ],
)
def test_stripe_statuses_that_stop_charging_turn_renewal_off_and_keep_the_paid_period(
    client: Client, status: str, kind: str
) -> None:
    sub = renewed_by("stripe", "sub_st_2")
    row = stripe_status(client, "sub_st_2", status, kind)
    assert row.status == InboxEvent.Status.PROCESSED
    stopped = fresh(sub)
    assert stopped.status == Subscription.Status.ACTIVE and not stopped.auto_renew
    assert stopped.access_until == sub.current_period_end  # what was paid for, and not a day more
    assert "premium" in benefits_of(user_id=sub.user_id, at=timezone.now())
    assert LedgerEntry.objects.filter(subscription=sub, what="cancel").get().reason.startswith(kind)
    renewal_run(now=sub.current_period_end + timedelta(minutes=1))
    assert fresh(sub).status == Subscription.Status.EXPIRED


def test_stripe_canceled_cancels(client: Client) -> None:
    sub = renewed_by("stripe", "sub_st_3")
    assert stripe_status(client, "sub_st_3", "canceled").status == InboxEvent.Status.PROCESSED
    assert not fresh(sub).auto_renew


def test_razorpay_halted_stops_renewal_and_the_account_page_promises_no_charge(client: Client) -> None:
    sub = renewed_by("razorpay", "sub_rzp_halt")
    payload = {
        "entity": "event",
        "event": "subscription.halted",
        "payload": {"subscription": {"entity": {"id": "sub_rzp_halt", "status": "halted"}}},
        "created_at": int(time.time()),
    }
    assert post(client, "razorpay", *rzp_signed(payload, event_id="evt_halted")).status_code == 200
    assert InboxEvent.objects.get(event_id="evt_halted").status == InboxEvent.Status.PROCESSED
    halted = fresh(sub)
    assert not halted.auto_renew and halted.access_until == sub.current_period_end
    client.force_login(halted.user)
    page = client.get(reverse("account")).content.decode()
    assert "Renewal is off: your plan ends on" in page and "the next charge is" not in page
