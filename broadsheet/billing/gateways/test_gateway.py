"""An offline gateway for tests, the demo and local development.

It behaves like a real one where it matters: checkout redirects to a hosted page
(ours, under BROADSHEET_TEST_GATEWAY_PATH), the same idempotency key always gives
the same session and payment ids, and its webhooks are signed and verified
exactly like Stripe's (``t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">``), with a
timestamp tolerance so an old, replayed delivery is refused.

Charge outcomes follow the mandate or customer reference: one containing
"decline" is declined, "pending" stays pending, "action" needs the customer,
"unavailable" fails as a network error; anything else succeeds. Tests can pass
their own ``decider`` instead.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac

from broadsheet.billing.gateways.base import (
    ActionRequired,
    ChargeRequest,
    ChargeResult,
    ChargeStatus,
    CheckoutRequest,
    CheckoutSession,
    EventType,
    GatewayError,
    GatewayUnavailable,
    InvalidSignature,
    WebhookEvent,
    header,
    optional_int,
    optional_str,
)

SIGNATURE_HEADER = "X-Broadsheet-Test-Signature"
DEFAULT_PATH = "/billing/test-gateway/"
DEFAULT_TOLERANCE = 300  # seconds, as Stripe's

Decider = Callable[[ChargeRequest], ChargeStatus]


def default_secret() -> str:
    """The webhook secret when BROADSHEET_TEST_GATEWAY_SECRET is unset: derived from SECRET_KEY."""
    return salted_hmac("broadsheet.billing.gateways.test", "webhook-secret", algorithm="sha256").hexdigest()


def decide_by_reference(req: ChargeRequest) -> ChargeStatus:
    refs = f"{req.mandate_ref} {req.customer_ref}".lower()
    if "unavailable" in refs:
        raise GatewayUnavailable("test gateway: simulated network failure", code="unavailable")
    if "action" in refs:
        raise ActionRequired("test gateway: customer authentication required", code="authentication_required")
    if "decline" in refs:
        return ChargeStatus.DECLINED
    if "pending" in refs:
        return ChargeStatus.PENDING
    return ChargeStatus.SUCCEEDED


class TestGateway:
    __test__ = False  # not a pytest test class, despite the name

    name = "test"

    def __init__(
        self,
        *,
        secret: str | None = None,
        base_path: str | None = None,
        decider: Decider | None = None,
        tolerance: int = DEFAULT_TOLERANCE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.secret = secret or getattr(settings, "BROADSHEET_TEST_GATEWAY_SECRET", "") or default_secret()
        path = base_path or str(getattr(settings, "BROADSHEET_TEST_GATEWAY_PATH", DEFAULT_PATH))
        self.base_path = path if path.endswith("/") else path + "/"
        self.decider = decider or decide_by_reference
        self.tolerance = tolerance
        self.clock = clock

    def _derive(self, prefix: str, idempotency_key: str) -> str:
        digest = hmac.new(self.secret.encode(), f"{prefix}:{idempotency_key}".encode(), hashlib.sha256)
        return f"{prefix}_{digest.hexdigest()[:24]}"

    # --- API ------------------------------------------------------------------

    def start_checkout(self, req: CheckoutRequest) -> CheckoutSession:
        session_id = self._derive("cs_test", req.idempotency_key)
        return CheckoutSession(gateway=self.name, session_id=session_id, redirect_url=f"{self.base_path}{session_id}/")

    def charge(self, req: ChargeRequest) -> ChargeResult:
        status = self.decider(req)
        payment_id = self._derive("pay_test", req.idempotency_key)
        message = "" if status is ChargeStatus.SUCCEEDED else f"test gateway: {status.value}"
        return ChargeResult(status=status, gateway_payment_id=payment_id, message=message)

    def refund(self, payment_id: str, amount_minor: int, idempotency_key: str) -> str:
        if type(amount_minor) is not int or amount_minor <= 0:
            raise ValueError("amount_minor must be a positive int")
        if not payment_id:
            raise GatewayError("test gateway: no payment to refund", code="invalid_request")
        return self._derive("rf_test", idempotency_key)

    # --- webhooks -------------------------------------------------------------

    def _signature(self, timestamp: int, body: bytes) -> str:
        signed = str(timestamp).encode() + b"." + body
        return hmac.new(self.secret.encode(), signed, hashlib.sha256).hexdigest()

    def sign_webhook(self, payload: Mapping[str, Any], *, timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
        """Serialise and sign an event as the gateway would send it: (body, headers)."""
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        ts = int(self.clock()) if timestamp is None else timestamp
        return body, {SIGNATURE_HEADER: f"t={ts},v1={self._signature(ts, body)}", "Content-Type": "application/json"}

    def _verify(self, body: bytes, signature_header: str | None) -> None:
        if not signature_header:
            raise InvalidSignature(f"missing {SIGNATURE_HEADER} header")
        parts = dict(item.split("=", 1) for item in signature_header.split(",") if "=" in item)
        try:
            timestamp = int(parts["t"])
            given = parts["v1"]
        except (KeyError, ValueError):
            raise InvalidSignature("malformed signature header") from None
        if abs(self.clock() - timestamp) > self.tolerance:
            raise InvalidSignature("signature timestamp outside the tolerance")
        if not hmac.compare_digest(self._signature(timestamp, body), given):
            raise InvalidSignature("signature does not match the body")

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        self._verify(body, header(headers, SIGNATURE_HEADER))
        try:
            payload = json.loads(body)
            event_id = str(payload["id"])
        except (ValueError, KeyError, TypeError):
            raise GatewayError("test gateway: signed body is not an event") from None
        return normalise(payload, event_id)


def event_payload(event_id: str, type: EventType | str, *, created: int | None = None, **data: Any) -> dict[str, Any]:
    """An event as the test gateway sends it; ``data`` takes WebhookEvent's object fields."""
    return {"id": event_id, "type": str(type), "created": created or int(time.time()), "data": data}


def normalise(payload: Mapping[str, Any], event_id: str) -> WebhookEvent:
    data = payload.get("data") or {}
    try:
        kind = EventType(str(payload.get("type")))
    except ValueError:
        kind = EventType.UNKNOWN
    created = optional_int(payload.get("created"))
    return WebhookEvent(
        gateway=TestGateway.name,
        event_id=event_id,
        type=kind,
        gateway_type=str(payload.get("type")),
        payment_id=optional_str(data.get("payment_id")),
        subscription_ref=optional_str(data.get("subscription_ref")),
        order_ref=optional_str(data.get("order_ref")),
        amount_minor=optional_int(data.get("amount_minor")),
        currency=optional_str(data.get("currency")),
        occurred_at=datetime.fromtimestamp(created, tz=UTC) if created is not None else None,
        raw=dict(payload),
    )
