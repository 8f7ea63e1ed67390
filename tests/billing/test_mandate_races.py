"""Plans bought at checkout renew, whichever of the webhook and the reader's return comes first.

Issue 9, defect 2: the webhook settled the payment first, the return page then
skipped asking the gateway, and the saved payment method was never recorded,
so `renew` found "Nothing due" while the account page promised a charge. Each
gateway is driven through the pages a reader uses and signed webhooks, with
the official SDKs answering from canned JSON (tests/billing/offline_sdk.py),
then renewed two periods on.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.gateways.offline.gateway import TestGateway
from broadsheet.billing.models import BillingNotice, Payment, Subscription
from broadsheet.billing.renewals.run import renewal_run
from broadsheet.newsroom.models import Article
from tests import factories as f
from tests.billing.offline_sdk import Canned, razorpay_offline, stripe_offline

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)
RZP_KEY_SECRET, RZP_WEBHOOK_SECRET = "rzp_key_secret", "rzp_webhook_secret"
STRIPE_WEBHOOK_SECRET = "whsec_mandate_races"
GATEWAYS = {
    "test": "broadsheet.billing.gateways.offline.gateway.TestGateway",
    "razorpay": "broadsheet.billing.gateways.razorpay.gateway.RazorpayGateway",
    "stripe": "broadsheet.billing.gateways.stripe.gateway.StripeGateway",
}


@pytest.fixture
def reader(client: Client, settings: Any) -> Any:
    settings.BROADSHEET_GATEWAYS = GATEWAYS
    settings.RAZORPAY_KEY_ID, settings.RAZORPAY_KEY_SECRET = "rzp_test_key", RZP_KEY_SECRET
    settings.RAZORPAY_WEBHOOK_SECRET = RZP_WEBHOOK_SECRET
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk_test_races", STRIPE_WEBHOOK_SECRET
    f.publication()
    f.demo_plans()
    f.story(access=Article.Access.PREMIUM)
    user = f.reader()
    client.force_login(user)
    return user


def pay(client: Client, settings: Any, gateway: str) -> Any:
    settings.BROADSHEET_DEFAULT_GATEWAY = gateway
    data = {"buyer_name": "Asha Rao", "buyer_state": "Maharashtra", "offer_code": "", "action": "pay"}
    started = client.post(reverse("billing_checkout", args=["smart-essential"]), data)
    assert started.status_code == 302, started.content.decode()[:400]
    return started["Location"]


def webhook(client: Client, gateway: str, body: bytes, headers: dict[str, str]) -> None:
    answer = client.post(
        reverse("billing_webhook", args=[gateway]), data=body, content_type="application/json", headers=headers
    )
    assert answer.status_code == 200, answer.content


def return_page(client: Client, payment: Payment) -> None:
    back = client.get(reverse("billing_return", args=[payment.pk]))
    assert back.status_code == 302 and back["Location"] == reverse("account")


def renew_twice(sub: Subscription, *, after_charge: Any = None) -> Subscription:
    """Two renewals, each noticed 47 hours and charged 30 minutes before its period ends."""
    for period in (1, 2):
        end = sub.current_period_end
        assert renewal_run(now=end - 47 * HOUR).notices == 1
        summary = renewal_run(now=end - HOUR / 2)
        assert summary.charged + summary.pending == 1, summary
        if after_charge is not None:
            after_charge(sub, period)
        sub.refresh_from_db()
        assert sub.period == period and sub.current_period_end > end
        assert "premium" in benefits_of(user_id=sub.user_id, at=end - HOUR / 4)
    return sub


def only_sub(user: Any) -> Subscription:
    return Subscription.objects.get(user=user)


def first_payment(user: Any) -> Payment:
    return Payment.objects.get(user=user, kind=Payment.Kind.FIRST)


# --- the offline test gateway ------------------------------------------------------------------


def test_test_gateway_webhook_first_then_return_renews_twice(client: Client, settings: Any, reader: Any) -> None:
    location = pay(client, settings, "test")
    done = client.post(location, {"choice": "success"})  # the TEST MODE page: its webhook, then the reader
    assert urlparse(done["Location"]).path == reverse("billing_return", args=[first_payment(reader).pk])
    return_page(client, first_payment(reader))
    sub = only_sub(reader)
    assert sub.mandate_ref.startswith("mandate_cs_test_") and sub.customer_ref == f"cust_{reader.email}"
    sub = renew_twice(sub)
    assert Payment.objects.filter(subscription=sub, kind=Payment.Kind.RENEWAL, status="succeeded").count() == 2


def test_test_gateway_return_first_then_webhook_renews_twice(client: Client, settings: Any, reader: Any) -> None:
    location = pay(client, settings, "test")
    session_id = location.rstrip("/").rsplit("/", 1)[1]
    gateway = TestGateway()
    gateway.complete(session_id, "success")  # paid at the gateway; the reader comes back before its webhook
    return_page(client, first_payment(reader))
    payload = gateway.session_event(session_id)
    assert payload is not None
    webhook(client, "test", *gateway.sign_webhook(payload))
    sub = only_sub(reader)
    assert sub.mandate_ref == f"mandate_{session_id}"
    renew_twice(sub)


# --- Razorpay ----------------------------------------------------------------------------------


def rzp_sdk(monkeypatch: pytest.MonkeyPatch, *, token_in_webhook: bool = True) -> Canned:
    canned = razorpay_offline(monkeypatch)
    orders = itertools.count(1)

    def new_order(method: str, path: str, body: str) -> tuple[int, Any]:
        data = json.loads(body or "{}")
        return 200, {
            "id": f"order_{next(orders)}",
            "entity": "order",
            "amount": data.get("amount"),
            "status": "created",
        }

    canned.on("POST", "/v1/orders", new_order)
    captured = {
        "id": "pay_first",
        "entity": "payment",
        "status": "captured",
        "order_id": "order_1",
        "amount": 270000,
        "currency": "INR",
        "token_id": "token_rzp_1",
        "customer_id": "cust_rzp_1",
    }
    canned.on("GET", "/v1/orders/order_1", (200, {"id": "order_1", "entity": "order", "status": "paid"}))
    canned.on("GET", "/v1/orders/order_1/payments", (200, {"entity": "collection", "count": 1, "items": [captured]}))
    renewals = itertools.count(1)
    canned.on(
        "POST",
        "/v1/payments/create/recurring",
        lambda m, p, b: (200, {"razorpay_payment_id": f"pay_renew_{next(renewals)}", "razorpay_order_id": "x"}),
    )
    return canned


def rzp_signed(payload: dict[str, Any], event_id: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    signature = hmac.new(RZP_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return body, {"X-Razorpay-Signature": signature, "X-Razorpay-Event-Id": event_id}


def rzp_captured(payment_id: str, order_id: str, *, token: bool) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "id": payment_id,
        "entity": "payment",
        "amount": 270000,
        "currency": "INR",
        "order_id": order_id,
        "status": "captured",
    }
    if token:
        entity |= {"token_id": "token_rzp_1", "customer_id": "cust_rzp_1"}
    return {
        "entity": "event",
        "event": "payment.captured",
        "payload": {"payment": {"entity": entity}},
        "created_at": int(time.time()),
    }


def rzp_handler(client: Client, order_id: str, payment_id: str) -> None:
    signature = hmac.new(RZP_KEY_SECRET.encode(), f"{order_id}|{payment_id}".encode(), hashlib.sha256).hexdigest()
    posted = {"razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": signature}
    assert client.post(reverse("billing_razorpay_verify"), posted).status_code == 302


def rzp_renewal_webhooks(client: Client) -> Any:
    def confirm(sub: Subscription, period: int) -> None:
        payload = rzp_captured(f"pay_renew_{period}", f"order_{period + 1}", token=True)
        webhook(client, "razorpay", *rzp_signed(payload, f"evt_renew_{period}"))

    return confirm


@pytest.mark.parametrize("token_in_webhook", [True, False], ids=["token-in-webhook", "webhook-without-token"])
def test_razorpay_webhook_first_then_handler_renews_twice(
    client: Client, settings: Any, reader: Any, monkeypatch: pytest.MonkeyPatch, token_in_webhook: bool
) -> None:
    canned = rzp_sdk(monkeypatch)
    assert pay(client, settings, "razorpay").endswith("/order_1/")
    webhook(client, "razorpay", *rzp_signed(rzp_captured("pay_first", "order_1", token=token_in_webhook), "evt_1"))
    rzp_handler(client, "order_1", "pay_first")
    return_page(client, first_payment(reader))
    sub = only_sub(reader)
    assert (sub.mandate_ref, sub.customer_ref) == ("token_rzp_1", "cust_rzp_1")
    assert canned.count("GET", "/v1/orders/order_1/payments") == (0 if token_in_webhook else 1)
    renew_twice(sub, after_charge=rzp_renewal_webhooks(client))


def test_razorpay_handler_and_return_first_then_webhook_renews_twice(
    client: Client, settings: Any, reader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rzp_sdk(monkeypatch)
    pay(client, settings, "razorpay")
    rzp_handler(client, "order_1", "pay_first")  # Razorpay Checkout's handler names no token
    return_page(client, first_payment(reader))
    webhook(client, "razorpay", *rzp_signed(rzp_captured("pay_first", "order_1", token=False), "evt_1"))
    sub = only_sub(reader)
    assert (sub.mandate_ref, sub.customer_ref) == ("token_rzp_1", "cust_rzp_1")
    renew_twice(sub, after_charge=rzp_renewal_webhooks(client))


# --- Stripe ------------------------------------------------------------------------------------


def stripe_sdk(monkeypatch: pytest.MonkeyPatch, *, retrieve_works: bool = True) -> Canned:
    canned = stripe_offline(monkeypatch)
    canned.on(
        "POST",
        "/v1/checkout/sessions",
        (200, {"id": "cs_races", "object": "checkout.session", "url": "https://checkout.stripe.com/c/pay/cs_races"}),
    )
    session = {
        "id": "cs_races",
        "object": "checkout.session",
        "status": "complete",
        "payment_status": "paid",
        "customer": "cus_races",
        "payment_intent": {
            "id": "pi_first",
            "object": "payment_intent",
            "status": "succeeded",
            "payment_method": "pm_races",
        },
    }
    error = {"error": {"type": "api_error", "message": "Stripe is having a moment"}}
    canned.on("GET", "/v1/checkout/sessions/cs_races", (200, session) if retrieve_works else (500, error))
    intents = itertools.count(1)
    canned.on(
        "POST",
        "/v1/payment_intents",
        lambda m, p, b: (200, {"id": f"pi_renew_{next(intents)}", "object": "payment_intent", "status": "succeeded"}),
    )
    return canned


def stripe_signed(payload: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    body, t = json.dumps(payload).encode(), int(time.time())
    v1 = hmac.new(STRIPE_WEBHOOK_SECRET.encode(), f"{t}.{body.decode()}".encode(), hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={t},v1={v1}"}


def session_completed() -> dict[str, Any]:
    """Stripe's checkout.session.completed: the customer and the intent's id, not the saved card."""
    session = {
        "id": "cs_races",
        "object": "checkout.session",
        "status": "complete",
        "payment_status": "paid",
        "customer": "cus_races",
        "payment_intent": "pi_first",
        "amount_total": 270000,
        "currency": "inr",
    }
    return {"id": "evt_cs_races", "object": "event", "type": "checkout.session.completed", "data": {"object": session}}


def test_stripe_webhook_first_then_return_renews_twice(
    client: Client, settings: Any, reader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    canned = stripe_sdk(monkeypatch)
    assert pay(client, settings, "stripe").startswith("https://checkout.stripe.com/")
    webhook(client, "stripe", *stripe_signed(session_completed()))
    return_page(client, first_payment(reader))
    sub = only_sub(reader)
    assert (sub.mandate_ref, sub.customer_ref) == ("pm_races", "cus_races")
    assert canned.count("GET", "/v1/checkout/sessions/cs_races") == 1  # asked once: by the webhook's settling
    sub = renew_twice(sub)
    assert canned.count("POST", "/v1/payment_intents") == 2


def test_stripe_return_first_then_webhook_renews_twice(
    client: Client, settings: Any, reader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    stripe_sdk(monkeypatch)
    pay(client, settings, "stripe")
    return_page(client, first_payment(reader))
    webhook(client, "stripe", *stripe_signed(session_completed()))
    sub = only_sub(reader)
    assert (sub.mandate_ref, sub.customer_ref) == ("pm_races", "cus_races")
    renew_twice(sub)


def test_stripe_webhook_first_while_stripe_cannot_answer_is_completed_by_the_return(
    client: Client, settings: Any, reader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    canned = stripe_sdk(monkeypatch, retrieve_works=False)
    pay(client, settings, "stripe")
    webhook(client, "stripe", *stripe_signed(session_completed()))  # settled; the card is not known yet
    assert only_sub(reader).status == Subscription.Status.ACTIVE and only_sub(reader).mandate_ref == ""
    stripe_sdk(monkeypatch)  # Stripe answers again by the time the reader is back
    return_page(client, first_payment(reader))
    assert only_sub(reader).mandate_ref == "pm_races"
    assert canned.count("GET", "/v1/checkout/sessions/cs_races") == 1
    renew_twice(only_sub(reader))


# --- a plan that cannot renew says so ----------------------------------------------------------


def test_a_plan_without_a_saved_method_says_it_will_not_renew_and_gets_no_pre_debit_notice(
    client: Client, settings: Any, reader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    stripe_sdk(monkeypatch, retrieve_works=False)
    pay(client, settings, "stripe")
    webhook(client, "stripe", *stripe_signed(session_completed()))
    client.get(reverse("billing_return", args=[first_payment(reader).pk]))  # Stripe still cannot answer
    sub = only_sub(reader)
    assert sub.status == Subscription.Status.ACTIVE and sub.auto_renew and sub.mandate_ref == ""
    page = client.get(reverse("account")).content.decode()
    assert "Renews on" not in page and "the next charge is" not in page and "Cancel renewal" not in page
    assert "We have no saved payment method for this plan" in page and "will not renew" in page
    end: datetime = sub.current_period_end
    assert renewal_run(now=end - 47 * HOUR).notices == 0
    assert not BillingNotice.objects.filter(subscription=sub, kind=BillingNotice.Kind.PRE_DEBIT).exists()
