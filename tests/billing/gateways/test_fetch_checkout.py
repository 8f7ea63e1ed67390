"""fetch_checkout of the live adapters, offline: fakes and constructed objects stand in for the SDKs.

Also what the webhook inbox reads from their events beyond the basics: our own
payment id from the metadata or notes, the refund id, a subscription's first invoice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from types import SimpleNamespace
from typing import Any

import pytest
import razorpay.errors
import stripe

from broadsheet.billing.gateways.base import ChargeStatus, CheckoutOutcome, EventType, GatewayError
from broadsheet.billing.gateways.razorpay.gateway import RazorpayGateway, order_outcome
from broadsheet.billing.gateways.stripe.gateway import StripeGateway, checkout_outcome

SDK: Any = stripe  # the SDK's error constructors are untyped

# --- Razorpay: the order and its payments ---------------------------------------------------------


class FakeOrders:
    """Stands in for razorpay.Client: answers order.fetch and order.payments from canned data."""

    def __init__(self, payments: list[dict[str, Any]], status: str = "attempted", raises: Exception | None = None):
        self.calls: list[tuple[str, str]] = []

        def fetch(order_id: str) -> dict[str, Any]:
            self.calls.append(("order.fetch", order_id))
            if raises is not None:
                raise raises
            return {"id": order_id, "entity": "order", "status": status}

        def payments_of(order_id: str) -> dict[str, Any]:
            self.calls.append(("order.payments", order_id))
            return {"entity": "collection", "count": len(payments), "items": payments}

        self.order = SimpleNamespace(fetch=fetch, payments=payments_of)


def razorpay_outcome(payments: list[dict[str, Any]], **kw: Any) -> CheckoutOutcome:
    client = FakeOrders(payments, **kw)
    outcome = RazorpayGateway(client=client, key_id="k", key_secret="s").fetch_checkout("order_1")
    assert client.calls == [("order.fetch", "order_1"), ("order.payments", "order_1")]
    return outcome


def test_razorpay_captured_payment_is_a_success_with_its_token() -> None:
    captured = {"id": "pay_2", "status": "captured", "token_id": "token_9", "customer_id": "cust_9"}
    failed = {"id": "pay_1", "status": "failed", "error_description": "Card declined"}
    outcome = razorpay_outcome([captured, failed], status="paid")
    assert outcome == CheckoutOutcome(ChargeStatus.SUCCEEDED, "pay_2", "token_9", "cust_9")


def test_razorpay_authorized_payment_is_pending() -> None:
    outcome = razorpay_outcome([{"id": "pay_3", "status": "authorized"}])
    assert (outcome.status, outcome.payment_id, outcome.mandate_ref) == (ChargeStatus.PENDING, "pay_3", "")


def test_razorpay_failed_last_attempt_is_a_decline_with_the_reason() -> None:
    outcome = razorpay_outcome([{"id": "pay_4", "status": "failed", "error_description": "Bank refused"}])
    assert (outcome.status, outcome.message) == (ChargeStatus.DECLINED, "Bank refused")


@pytest.mark.parametrize("payments", [[], [{"id": "pay_5", "status": "created"}]])
def test_razorpay_unfinished_checkout_has_no_outcome(payments: list[dict[str, Any]]) -> None:
    assert razorpay_outcome(payments).status is None


def test_razorpay_unknown_order_is_a_gateway_error_not_a_decline() -> None:
    with pytest.raises(GatewayError) as caught:
        razorpay_outcome([], raises=razorpay.errors.BadRequestError("The id provided does not exist"))
    assert type(caught.value) is GatewayError


def test_razorpay_order_outcome_is_pure() -> None:
    assert order_outcome({"status": "paid"}, {"items": []}).status is None


# --- Stripe: the Checkout Session, payment intent expanded ---------------------------------------


def session(status: str = "complete", payment_status: str = "paid", intent: Any = "pi_1", **extra: Any) -> Any:
    """A Checkout Session as the SDK returns it (a real StripeObject, built offline)."""
    values = {"id": "cs_1", "object": "checkout.session", "status": status, "payment_status": payment_status}
    values |= {"payment_intent": intent, "customer": "cus_1"} | extra
    return stripe.StripeObject.construct_from(values, "sk_test_x")


def test_stripe_paid_session_is_a_success_with_the_saved_card() -> None:
    intent = {"id": "pi_1", "object": "payment_intent", "status": "succeeded", "payment_method": "pm_1"}
    seen: list[str] = []

    def retrieve(session_id: str) -> Any:
        seen.append(session_id)
        return session(intent=intent)

    outcome = StripeGateway(api_key="sk_test_x", retrieve_session=retrieve).fetch_checkout("cs_1")
    assert seen == ["cs_1"]
    assert outcome == CheckoutOutcome(ChargeStatus.SUCCEEDED, "pi_1", "pm_1", "cus_1")


def test_stripe_subscription_checkout_names_the_subscription() -> None:
    outcome = checkout_outcome(session(intent=None, subscription="sub_1"))
    assert (outcome.status, outcome.subscription_ref, outcome.customer_ref) == (
        ChargeStatus.SUCCEEDED,
        "sub_1",
        "cus_1",
    )


def test_stripe_unpaid_complete_session_is_pending_until_its_intent_fails() -> None:
    assert checkout_outcome(session(payment_status="unpaid")).status is ChargeStatus.PENDING
    failed = {"id": "pi_1", "status": "requires_payment_method", "last_payment_error": {"message": "Debit refused"}}
    outcome = checkout_outcome(session(payment_status="unpaid", intent=failed))
    assert (outcome.status, outcome.payment_id, outcome.message) == (ChargeStatus.DECLINED, "pi_1", "Debit refused")


@pytest.mark.parametrize("status", ["open", "expired"])
def test_stripe_unfinished_session_has_no_outcome(status: str) -> None:
    assert checkout_outcome(session(status=status, payment_status="unpaid")).status is None


def test_stripe_default_retrieve_goes_through_the_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def retrieve(session_id: str, **params: Any) -> Any:
        seen.update(params, id=session_id)
        return session()

    monkeypatch.setattr(stripe.checkout.Session, "retrieve", retrieve)
    assert StripeGateway(api_key="sk_test_x").fetch_checkout("cs_1").status is ChargeStatus.SUCCEEDED
    assert seen == {"id": "cs_1", "api_key": "sk_test_x", "expand": ["payment_intent"]}


def test_stripe_sdk_errors_map_to_ours_when_fetching() -> None:
    def missing(session_id: str) -> Any:
        raise SDK.InvalidRequestError("No such checkout.session", "id")

    with pytest.raises(GatewayError):
        StripeGateway(api_key="sk_test_x", retrieve_session=missing).fetch_checkout("cs_x")


# --- what the inbox reads from events -------------------------------------------------------------


def stripe_event(kind: str, obj: dict[str, Any]) -> Any:
    secret = "whsec_x"
    body = json.dumps({"id": "evt_1", "object": "event", "type": kind, "data": {"object": obj}}).encode()
    t = int(time.time())
    v1 = hmac.new(secret.encode(), f"{t}.{body.decode()}".encode(), hashlib.sha256).hexdigest()
    return StripeGateway(api_key="sk", webhook_secret=secret).parse_webhook(
        body, {"Stripe-Signature": f"t={t},v1={v1}"}
    )


def test_stripe_events_carry_our_payment_id_from_the_metadata() -> None:
    intent = {"id": "pi_1", "object": "payment_intent", "metadata": {"payment_id": "42"}}
    assert stripe_event("payment_intent.succeeded", intent).reference == "42"


def test_stripe_first_invoice_of_a_subscription_is_a_payment_not_a_renewal() -> None:
    invoice = {"id": "in_1", "object": "invoice", "subscription": "sub_1", "billing_reason": "subscription_create"}
    assert stripe_event("invoice.paid", invoice).type is EventType.PAYMENT_SUCCEEDED
    invoice["billing_reason"] = "subscription_cycle"
    assert stripe_event("invoice.paid", invoice).type is EventType.SUBSCRIPTION_RENEWED


def test_stripe_payment_of_an_invoice_is_left_to_the_invoice_event() -> None:
    intent = {"id": "pi_1", "object": "payment_intent", "invoice": "in_1"}
    assert stripe_event("payment_intent.succeeded", intent).type is EventType.UNKNOWN


def test_stripe_refund_event_names_the_refund_when_listed() -> None:
    charge = {"id": "ch_1", "object": "charge", "payment_intent": "pi_1", "amount_refunded": 500}
    charge["refunds"] = {"data": [{"id": "re_2"}, {"id": "re_1"}]}
    assert stripe_event("charge.refunded", charge).refund_ref == "re_2"


def test_razorpay_events_carry_our_payment_id_and_the_refund_id() -> None:
    secret = "rzp_x"
    payment = {"id": "pay_1", "entity": "payment", "order_id": "order_1", "notes": {"payment_id": "42"}}
    refund = {"id": "rfnd_1", "entity": "refund", "payment_id": "pay_1", "notes": []}
    for kind, entity, key in (("payment.captured", payment, "payment"), ("refund.processed", refund, "refund")):
        body = json.dumps({"event": kind, "payload": {key: {"entity": entity}}}).encode()
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        event = RazorpayGateway(client=object(), webhook_secret=secret).parse_webhook(
            body, {"X-Razorpay-Signature": signature}
        )
        assert (event.reference, event.refund_ref) == (("42", None) if key == "payment" else (None, "rfnd_1"))
