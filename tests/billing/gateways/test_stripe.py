from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any, cast

import pytest
import stripe

from broadsheet.billing.gateways.base import (
    ActionRequired,
    ChargeRequest,
    ChargeStatus,
    CheckoutRequest,
    EventType,
    GatewayError,
    GatewayUnavailable,
    InvalidSignature,
    PaymentDeclined,
)
from broadsheet.billing.gateways.stripe.gateway import (
    SIGNATURE_HEADER,
    StripeGateway,
    build_checkout_session_params,
)

SDK: Any = stripe  # the SDK's error constructors are untyped

SECRET = "whsec_test_secret"


class Recorder:
    """An injectable API call: records (params, idempotency_key), answers or raises."""

    def __init__(self, answer: dict[str, Any] | None = None, raises: Exception | None = None) -> None:
        self.answer = answer or {}
        self.raises = raises
        self.calls: list[tuple[dict[str, Any], str]] = []

    def __call__(self, params: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        self.calls.append((params, idempotency_key))
        if self.raises is not None:
            raise self.raises
        return self.answer


def gateway(**calls: Recorder) -> StripeGateway:
    return StripeGateway(api_key="sk_test_x", webhook_secret=SECRET, **calls)  # type: ignore[arg-type]


def signed(payload: dict[str, Any], *, secret: str = SECRET, at: int | None = None) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    t = int(time.time()) if at is None else at
    v1 = hmac.new(secret.encode(), f"{t}.{body.decode()}".encode(), hashlib.sha256).hexdigest()
    return body, {SIGNATURE_HEADER: f"t={t},v1={v1}"}


def event(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {"id": "evt_1", "object": "event", "type": kind, "created": 1_800_000_000, "data": {"object": obj}}


def checkout_completed(payment_status: str = "paid") -> dict[str, Any]:
    session = {
        "id": "cs_test_1",
        "object": "checkout.session",
        "payment_intent": "pi_1",
        "payment_status": payment_status,
        "amount_total": 270000,
        "currency": "inr",
    }
    return event("checkout.session.completed", session)


def card_error(code: str) -> Exception:
    return cast(Exception, SDK.CardError("Your card was declined.", "payment_method", code))


def test_checkout_params_use_unit_amount_in_paise(checkout_request: CheckoutRequest) -> None:
    params = build_checkout_session_params(checkout_request)
    price = params["line_items"][0]["price_data"]
    assert price["unit_amount"] == 270_000 and isinstance(price["unit_amount"], int)
    assert price["currency"] == "inr"
    assert params["line_items"][0]["quantity"] == 1
    assert params["mode"] == "payment"
    assert params["payment_intent_data"]["setup_future_usage"] == "off_session"
    assert params["metadata"] == {
        "subscription_id": "42",
        "plan_code": "smart-essential",
        "idempotency_key": "checkout:sub-42:p0",
    }
    assert (params["success_url"], params["cancel_url"]) == (checkout_request.return_url, checkout_request.cancel_url)


def test_checkout_passes_the_idempotency_key_and_returns_the_hosted_url(checkout_request: CheckoutRequest) -> None:
    create = Recorder({"id": "cs_test_1", "url": "https://checkout.stripe.com/c/pay/cs_test_1"})
    session = gateway(create_session=create).start_checkout(checkout_request)
    assert create.calls == [(build_checkout_session_params(checkout_request), "checkout:sub-42:p0")]
    assert session.session_id == "cs_test_1" and session.redirect_url.startswith("https://checkout.stripe.com/")


def test_the_default_api_call_goes_through_the_sdk_with_key_and_idempotency(
    monkeypatch: pytest.MonkeyPatch, checkout_request: CheckoutRequest
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(stripe.checkout.Session, "create", lambda **kw: seen.update(kw) or {"id": "cs_1", "url": "u"})
    StripeGateway(api_key="sk_test_x").start_checkout(checkout_request)
    assert seen["api_key"] == "sk_test_x" and seen["idempotency_key"] == "checkout:sub-42:p0"
    assert seen["line_items"][0]["price_data"]["unit_amount"] == 270_000


def test_without_a_secret_key_nothing_is_called(settings: Any, checkout_request: CheckoutRequest) -> None:
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(GatewayError, match="STRIPE_SECRET_KEY"):
        StripeGateway().start_checkout(checkout_request)


@pytest.mark.parametrize(
    ("sdk_error", "ours"),
    [
        (card_error("card_declined"), PaymentDeclined),
        (card_error("authentication_required"), ActionRequired),
        (SDK.APIConnectionError("network"), GatewayUnavailable),
        (SDK.RateLimitError("slow down"), GatewayUnavailable),
        (SDK.APIError("stripe 500"), GatewayUnavailable),
        (SDK.AuthenticationError("bad key"), GatewayError),
        (SDK.InvalidRequestError("bad param", "amount"), GatewayError),
    ],
)
def test_sdk_errors_map_to_ours(checkout_request: CheckoutRequest, sdk_error: Exception, ours: type) -> None:
    with pytest.raises(ours):
        gateway(create_session=Recorder(raises=sdk_error)).start_checkout(checkout_request)


def renewal() -> ChargeRequest:
    return ChargeRequest("renewal:42:3", 270_000, "INR", customer_ref="cus_1", mandate_ref="pm_1")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("succeeded", ChargeStatus.SUCCEEDED),
        ("processing", ChargeStatus.PENDING),
        ("requires_payment_method", ChargeStatus.DECLINED),
    ],
)
def test_charge_maps_the_payment_intent_status(status: str, expected: ChargeStatus) -> None:
    create = Recorder({"id": "pi_9", "status": status})
    result = gateway(create_payment_intent=create).charge(renewal())
    assert result.status is expected
    params, key = create.calls[0]
    assert key == "renewal:42:3"
    assert (params["amount"], params["customer"], params["payment_method"], params["off_session"]) == (
        270_000,
        "cus_1",
        "pm_1",
        True,
    )


def test_a_declined_card_on_renewal_is_a_result() -> None:
    result = gateway(create_payment_intent=Recorder(raises=card_error("card_declined"))).charge(renewal())
    assert result.status is ChargeStatus.DECLINED


def test_a_renewal_needing_authentication_raises_action_required() -> None:
    with pytest.raises(ActionRequired):
        gateway(create_payment_intent=Recorder(raises=card_error("authentication_required"))).charge(renewal())


def test_refund_passes_amount_and_key() -> None:
    create = Recorder({"id": "re_1"})
    assert gateway(create_refund=create).refund("pi_1", 5_000, "refund:1") == "re_1"
    assert create.calls == [({"payment_intent": "pi_1", "amount": 5_000}, "refund:1")]


def test_a_signed_webhook_is_accepted_and_normalised() -> None:
    parsed = gateway().parse_webhook(*signed(checkout_completed()))
    assert (parsed.gateway, parsed.event_id, parsed.type) == ("stripe", "evt_1", EventType.PAYMENT_SUCCEEDED)
    assert (parsed.payment_id, parsed.order_ref, parsed.amount_minor, parsed.currency) == (
        "pi_1",
        "cs_test_1",
        270_000,
        "INR",
    )
    assert type(parsed.raw) is dict and parsed.raw["id"] == "evt_1"  # no Stripe object leaves the adapter


def test_an_unpaid_completed_checkout_is_pending() -> None:
    assert gateway().parse_webhook(*signed(checkout_completed("unpaid"))).type is EventType.PAYMENT_PENDING


@pytest.mark.parametrize(
    ("kind", "obj", "expected", "subscription"),
    [
        (
            "invoice.paid",
            {"id": "in_1", "object": "invoice", "subscription": "sub_1"},
            EventType.SUBSCRIPTION_RENEWED,
            "sub_1",
        ),
        (
            "invoice.payment_failed",
            {"id": "in_1", "object": "invoice", "parent": {"subscription_details": {"subscription": "sub_2"}}},
            EventType.PAYMENT_FAILED,
            "sub_2",
        ),
        (
            "customer.subscription.deleted",
            {"id": "sub_3", "object": "subscription"},
            EventType.SUBSCRIPTION_CANCELLED,
            "sub_3",
        ),
        (
            "charge.refunded",
            {"id": "ch_1", "object": "charge", "payment_intent": "pi_1"},
            EventType.REFUND_SUCCEEDED,
            None,
        ),
        ("customer.created", {"id": "cus_1", "object": "customer"}, EventType.UNKNOWN, None),
    ],
)
def test_event_types_are_normalised(kind: str, obj: dict, expected: EventType, subscription: str | None) -> None:
    parsed = gateway().parse_webhook(*signed(event(kind, obj)))
    assert (parsed.type, parsed.subscription_ref) == (expected, subscription)


def test_a_refund_reports_the_refunded_amount() -> None:
    charge = {"id": "ch_1", "object": "charge", "payment_intent": "pi_1", "amount": 270000, "amount_refunded": 5000}
    parsed = gateway().parse_webhook(*signed(event("charge.refunded", charge)))
    assert (parsed.payment_id, parsed.amount_minor) == ("pi_1", 5000)


def test_a_forged_signature_is_rejected() -> None:
    with pytest.raises(InvalidSignature):
        gateway().parse_webhook(*signed(checkout_completed(), secret="whsec_someone_else"))


def test_a_tampered_body_is_rejected() -> None:
    body, headers = signed(checkout_completed())
    with pytest.raises(InvalidSignature):
        gateway().parse_webhook(body.replace(b"270000", b"1"), headers)


def test_an_old_timestamp_is_rejected() -> None:
    with pytest.raises(InvalidSignature):
        gateway().parse_webhook(*signed(checkout_completed(), at=int(time.time()) - 3600))


def test_a_missing_signature_is_rejected() -> None:
    body, _ = signed(checkout_completed())
    with pytest.raises(InvalidSignature):
        gateway().parse_webhook(body, {})


def test_without_a_webhook_secret_nothing_is_accepted() -> None:
    with pytest.raises(GatewayError, match="STRIPE_WEBHOOK_SECRET"):
        StripeGateway(api_key="sk", webhook_secret="").parse_webhook(*signed(checkout_completed()))
