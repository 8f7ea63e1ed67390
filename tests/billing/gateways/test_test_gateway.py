from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from broadsheet.billing.gateways.base import (
    ActionRequired,
    ChargeRequest,
    ChargeStatus,
    CheckoutRequest,
    EventType,
    GatewayUnavailable,
    InvalidSignature,
)
from broadsheet.billing.gateways.offline.books import MemoryBooks
from broadsheet.billing.gateways.offline.gateway import SIGNATURE_HEADER, TestGateway, event_payload

NOW = 1_800_000_000


def gateway(**kwargs: Any) -> TestGateway:
    kwargs.setdefault("books", MemoryBooks())
    return TestGateway(secret="whsec_test_gateway", clock=lambda: float(NOW), **kwargs)


def charge_request(mandate_ref: str = "mandate_ok", key: str = "") -> ChargeRequest:
    key = key or f"renewal:sub-42:p3:{mandate_ref}"
    return ChargeRequest(key, 270_000, "INR", customer_ref="cust_1", mandate_ref=mandate_ref)


def test_checkout_redirects_to_the_local_hosted_page(checkout_request: CheckoutRequest) -> None:
    session = gateway().start_checkout(checkout_request)
    assert session.gateway == "test"
    assert session.redirect_url == f"/billing/test-gateway/{session.session_id}/"


def test_the_hosted_page_path_comes_from_settings(settings: Any, checkout_request: CheckoutRequest) -> None:
    settings.BROADSHEET_TEST_GATEWAY_PATH = "/pay/fake"
    session = TestGateway(books=MemoryBooks()).start_checkout(checkout_request)
    assert session.redirect_url == f"/pay/fake/{session.session_id}/"


def test_same_idempotency_key_gives_the_same_session(checkout_request: CheckoutRequest) -> None:
    first = gateway().start_checkout(checkout_request)
    retried = gateway().start_checkout(checkout_request)
    other = gateway().start_checkout(replace(checkout_request, idempotency_key="checkout:sub-43:p0"))
    assert first == retried
    assert other.session_id != first.session_id


def test_charge_outcome_follows_the_mandate_reference() -> None:
    assert gateway().charge(charge_request()).status is ChargeStatus.SUCCEEDED
    assert gateway().charge(charge_request("mandate_decline")).status is ChargeStatus.DECLINED
    assert gateway().charge(charge_request("mandate_pending")).status is ChargeStatus.PENDING
    with pytest.raises(ActionRequired):
        gateway().charge(charge_request("mandate_action"))
    with pytest.raises(GatewayUnavailable):
        gateway().charge(charge_request("mandate_unavailable"))


def test_an_injected_decider_forces_the_outcome() -> None:
    result = gateway(decider=lambda req: ChargeStatus.DECLINED).charge(charge_request())
    assert result.status is ChargeStatus.DECLINED


def test_a_retried_charge_has_the_same_payment_id() -> None:
    assert (
        gateway().charge(charge_request()).gateway_payment_id == gateway().charge(charge_request()).gateway_payment_id
    )


def test_refund_is_idempotent() -> None:
    assert gateway().refund("pay_1", 100, "refund:1") == gateway().refund("pay_1", 100, "refund:1")


def test_a_signed_webhook_is_accepted_and_normalised() -> None:
    payload = event_payload(
        "evt_1", EventType.PAYMENT_SUCCEEDED, created=NOW, payment_id="pay_1", amount_minor=270_000, currency="INR"
    )
    body, headers = gateway().sign_webhook(payload)
    event = gateway().parse_webhook(body, headers)
    assert (event.gateway, event.event_id, event.type) == ("test", "evt_1", EventType.PAYMENT_SUCCEEDED)
    assert (event.payment_id, event.amount_minor, event.currency) == ("pay_1", 270_000, "INR")
    assert event.occurred_at is not None and int(event.occurred_at.timestamp()) == NOW
    assert event.raw["id"] == "evt_1"


def test_headers_are_matched_case_insensitively() -> None:
    body, headers = gateway().sign_webhook(event_payload("evt_1", "payment_failed", created=NOW))
    lowered = {key.lower(): value for key, value in headers.items()}
    assert gateway().parse_webhook(body, lowered).type is EventType.PAYMENT_FAILED


def test_an_unknown_type_is_normalised_to_unknown() -> None:
    body, headers = gateway().sign_webhook(event_payload("evt_1", "something.new", created=NOW))
    assert gateway().parse_webhook(body, headers).type is EventType.UNKNOWN


def test_a_forged_signature_is_rejected() -> None:
    body, _ = gateway().sign_webhook(event_payload("evt_1", "payment_succeeded", created=NOW))
    _, forged = TestGateway(secret="not-the-secret", clock=lambda: float(NOW)).sign_webhook({})
    with pytest.raises(InvalidSignature):
        gateway().parse_webhook(body, {SIGNATURE_HEADER: forged[SIGNATURE_HEADER]})
    with pytest.raises(InvalidSignature):
        gateway().parse_webhook(body, {SIGNATURE_HEADER: f"t={NOW},v1={'0' * 64}"})


def test_a_tampered_body_is_rejected() -> None:
    body, headers = gateway().sign_webhook(event_payload("evt_1", "payment_succeeded", amount_minor=100, created=NOW))
    with pytest.raises(InvalidSignature):
        gateway().parse_webhook(body.replace(b"100", b"999"), headers)


def test_an_old_replayed_signature_is_rejected() -> None:
    body, headers = gateway().sign_webhook(event_payload("evt_1", "payment_succeeded"), timestamp=NOW - 301)
    with pytest.raises(InvalidSignature, match="tolerance"):
        gateway().parse_webhook(body, headers)


def test_a_replay_with_a_fresh_timestamp_but_the_old_signature_is_rejected() -> None:
    body, headers = gateway().sign_webhook(event_payload("evt_1", "payment_succeeded"), timestamp=NOW - 301)
    old_sig = headers[SIGNATURE_HEADER].split("v1=")[1]
    with pytest.raises(InvalidSignature):
        gateway().parse_webhook(body, {SIGNATURE_HEADER: f"t={NOW},v1={old_sig}"})


@pytest.mark.parametrize("value", [None, "", "garbage", "t=abc,v1=00", "v1=00"])
def test_a_missing_or_malformed_header_is_rejected(value: str | None) -> None:
    body, _ = gateway().sign_webhook(event_payload("evt_1", "payment_succeeded", created=NOW))
    headers = {} if value is None else {SIGNATURE_HEADER: value}
    with pytest.raises(InvalidSignature):
        gateway().parse_webhook(body, headers)


def test_the_default_secret_is_derived_from_secret_key(settings: Any) -> None:
    settings.BROADSHEET_TEST_GATEWAY_SECRET = ""
    derived = TestGateway()
    assert derived.secret and derived.secret != settings.SECRET_KEY
    settings.BROADSHEET_TEST_GATEWAY_SECRET = "configured"
    assert TestGateway().secret == "configured"


def test_a_charge_repeated_with_its_key_is_made_once_even_if_the_outcome_would_differ() -> None:
    books = MemoryBooks()
    first = gateway(books=books).charge(charge_request(key="renewal:sub-7:p1:a0"))
    again = gateway(books=books, decider=lambda req: ChargeStatus.DECLINED).charge(
        charge_request(key="renewal:sub-7:p1:a0")
    )
    assert again == first and first.status is ChargeStatus.SUCCEEDED
    assert len(books.charges) == 1


def test_an_unavailable_gateway_records_no_charge() -> None:
    books = MemoryBooks()
    with pytest.raises(GatewayUnavailable):
        gateway(books=books).charge(charge_request("mandate_unavailable"))
    assert books.charges == {}


def test_the_hosted_session_is_completed_once(checkout_request: CheckoutRequest) -> None:
    gw = gateway()
    session = gw.start_checkout(checkout_request)
    assert gw.fetch_checkout(session.session_id).status is None
    gw.complete(session.session_id, "decline")
    gw.complete(session.session_id, "success")  # a second click on the page changes nothing
    outcome = gw.fetch_checkout(session.session_id)
    assert outcome.status is ChargeStatus.DECLINED and outcome.mandate_ref == ""
    event = gw.session_event(session.session_id)
    assert event is not None and event["type"] == EventType.PAYMENT_FAILED


def test_a_pending_session_is_confirmed_later(checkout_request: CheckoutRequest) -> None:
    gw = gateway()
    session = gw.start_checkout(checkout_request)
    gw.complete(session.session_id, "pending")
    assert gw.fetch_checkout(session.session_id).status is ChargeStatus.PENDING
    assert gw.session_event(session.session_id) is None
    gw.confirm_pending(session.session_id, paid=True)
    outcome = gw.fetch_checkout(session.session_id)
    assert outcome.status is ChargeStatus.SUCCEEDED and outcome.mandate_ref
