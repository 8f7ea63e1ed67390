from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
import razorpay.errors
import requests

from broadsheet.billing.gateways.base import (
    ChargeRequest,
    ChargeStatus,
    CheckoutRequest,
    EventType,
    GatewayError,
    GatewayUnavailable,
    InvalidSignature,
    PaymentDeclined,
)
from broadsheet.billing.gateways.razorpay.gateway import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    RazorpayGateway,
    build_order_params,
    receipt_for,
)

SECRET = "rzp_webhook_secret"


class FakeClient:
    """Stands in for razorpay.Client: records calls, answers canned data or raises."""

    def __init__(self, raises: Exception | None = None, payment: dict[str, Any] | None = None) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.raises = raises
        self.order = SimpleNamespace(create=self._record("order.create", {"id": "order_123"}))
        self.payment = SimpleNamespace(
            createRecurring=self._record("payment.createRecurring", payment or {"razorpay_payment_id": "pay_9"}),
            refund=lambda payment_id, data: self._record("payment.refund", {"id": "rfnd_1"})((payment_id, data)),
        )

    def _record(self, name: str, answer: dict[str, Any]) -> Callable[[Any], dict[str, Any]]:
        def call(data: Any) -> dict[str, Any]:
            self.calls.append((name, data))
            if self.raises is not None:
                raise self.raises
            return answer

        return call


def gateway(client: Any = None) -> RazorpayGateway:
    return RazorpayGateway(client=client or FakeClient(), webhook_secret=SECRET, key_id="rzp_test", key_secret="s")


def signed(payload: dict[str, Any], secret: str = SECRET) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {SIGNATURE_HEADER: signature, EVENT_ID_HEADER: "evt_rzp_1"}


def payment_captured() -> dict[str, Any]:
    entity = {"id": "pay_1", "entity": "payment", "amount": 270000, "currency": "INR", "order_id": "order_123"}
    return {
        "entity": "event",
        "event": "payment.captured",
        "contains": ["payment"],
        "payload": {"payment": {"entity": entity}},
        "created_at": 1_800_000_000,
    }


def test_order_params_carry_integer_paise_and_the_receipt(checkout_request: CheckoutRequest) -> None:
    params = build_order_params(checkout_request)
    assert params["amount"] == 270_000 and isinstance(params["amount"], int)
    assert params["currency"] == "INR"
    assert params["receipt"] == "checkout:sub-42:p0"
    assert params["notes"]["plan_code"] == "smart-essential"
    assert params["notes"]["subscription_id"] == "42"


def test_a_long_key_gets_a_stable_receipt_within_razorpays_limit() -> None:
    key = "x" * 100
    assert len(receipt_for(key)) == 40 and receipt_for(key) == receipt_for(key)


def test_checkout_creates_an_order_and_redirects_to_our_checkout_page(checkout_request: CheckoutRequest) -> None:
    client = FakeClient()
    session = gateway(client).start_checkout(checkout_request)
    assert client.calls == [("order.create", build_order_params(checkout_request))]
    assert (session.gateway, session.session_id) == ("razorpay", "order_123")
    assert session.redirect_url == "/billing/razorpay/checkout/order_123/"


def test_a_recurring_charge_is_pending_until_the_webhook() -> None:
    client = FakeClient()
    req = ChargeRequest("renewal:42:3", 270_000, "INR", customer_ref="cust_1", mandate_ref="token_1")
    result = gateway(client).charge(req)
    assert (result.status, result.gateway_payment_id) == (ChargeStatus.PENDING, "pay_9")
    recurring = client.calls[1][1]
    assert (recurring["customer_id"], recurring["token"], recurring["order_id"]) == ("cust_1", "token_1", "order_123")


@pytest.mark.parametrize(
    ("sdk_error", "ours"),
    [
        (razorpay.errors.BadRequestError("Payment failed"), PaymentDeclined),
        (razorpay.errors.GatewayError("bank down"), GatewayUnavailable),
        (razorpay.errors.ServerError("oops"), GatewayUnavailable),
        (requests.exceptions.ConnectionError("no route"), GatewayUnavailable),
        (requests.exceptions.Timeout("slow"), GatewayUnavailable),
    ],
)
def test_sdk_errors_map_to_ours(checkout_request: CheckoutRequest, sdk_error: Exception, ours: type) -> None:
    with pytest.raises(ours):
        gateway(FakeClient(raises=sdk_error)).start_checkout(checkout_request)


def test_a_declined_renewal_is_a_result_not_an_exception() -> None:
    req = ChargeRequest("renewal:42:3", 270_000, "INR", customer_ref="cust_1", mandate_ref="token_1")
    result = gateway(FakeClient(raises=razorpay.errors.BadRequestError("declined"))).charge(req)
    assert result.status is ChargeStatus.DECLINED and result.message == "declined"


def test_refund_returns_the_refund_id() -> None:
    client = FakeClient()
    assert gateway(client).refund("pay_1", 5_000, "refund:1") == "rfnd_1"
    assert client.calls[0][1] == (
        "pay_1",
        {"amount": 5000, "receipt": "refund:1", "notes": {"idempotency_key": "refund:1"}},
    )


def test_without_keys_no_client_is_built(settings: Any, checkout_request: CheckoutRequest) -> None:
    settings.RAZORPAY_KEY_ID = ""
    with pytest.raises(GatewayError, match="RAZORPAY_KEY_ID"):
        RazorpayGateway().start_checkout(checkout_request)


def test_a_signed_webhook_is_accepted_and_normalised() -> None:
    body, headers = signed(payment_captured())
    event = gateway().parse_webhook(body, headers)
    assert (event.gateway, event.event_id, event.type) == ("razorpay", "evt_rzp_1", EventType.PAYMENT_SUCCEEDED)
    assert (event.payment_id, event.order_ref, event.amount_minor, event.currency) == (
        "pay_1",
        "order_123",
        270_000,
        "INR",
    )
    assert event.occurred_at is not None and event.gateway_type == "payment.captured"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("payment.failed", EventType.PAYMENT_FAILED),
        ("subscription.charged", EventType.SUBSCRIPTION_RENEWED),
        ("subscription.cancelled", EventType.SUBSCRIPTION_CANCELLED),
        ("order.notification", EventType.UNKNOWN),
    ],
)
def test_event_types_are_normalised(kind: str, expected: EventType) -> None:
    payload = payment_captured() | {"event": kind}
    payload["payload"]["subscription"] = {"entity": {"id": "sub_7", "entity": "subscription"}}
    event = gateway().parse_webhook(*signed(payload))
    assert event.type is expected and event.subscription_ref == "sub_7"


def test_a_refund_event_names_the_refunded_payment() -> None:
    refund = {"id": "rfnd_1", "entity": "refund", "payment_id": "pay_1", "amount": 5000, "currency": "INR"}
    payload = {"event": "refund.processed", "payload": {"refund": {"entity": refund}}, "created_at": 1_800_000_000}
    event = gateway().parse_webhook(*signed(payload))
    assert (event.type, event.payment_id, event.amount_minor) == (EventType.REFUND_SUCCEEDED, "pay_1", 5000)


def test_without_the_event_id_header_the_id_is_derived_from_the_object() -> None:
    body, headers = signed(payment_captured())
    del headers[EVENT_ID_HEADER]
    assert gateway().parse_webhook(body, headers).event_id == "payment.captured:pay_1"


def test_a_forged_signature_is_rejected() -> None:
    body, headers = signed(payment_captured(), secret="someone-else")
    with pytest.raises(InvalidSignature):
        gateway().parse_webhook(body, headers)


def test_a_tampered_body_is_rejected() -> None:
    body, headers = signed(payment_captured())
    with pytest.raises(InvalidSignature):
        gateway().parse_webhook(body.replace(b"270000", b"1"), headers)


def test_a_missing_signature_is_rejected() -> None:
    body, _ = signed(payment_captured())
    with pytest.raises(InvalidSignature):
        gateway().parse_webhook(body, {})


def test_without_a_webhook_secret_nothing_is_accepted() -> None:
    body, headers = signed(payment_captured(), secret="")
    with pytest.raises(GatewayError, match="RAZORPAY_WEBHOOK_SECRET"):
        RazorpayGateway(client=FakeClient(), webhook_secret="").parse_webhook(body, headers)
