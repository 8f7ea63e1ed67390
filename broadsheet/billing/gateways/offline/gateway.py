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

What a real gateway keeps on its servers (checkout sessions, charges) the test
gateway keeps in its *books*: database tables by default, so every worker of the
demo sees the same sessions, and a charge repeated with the same idempotency key
is answered from the books (books.py) instead of being made again. Unit tests may pass
``books=MemoryBooks()``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from django.utils.crypto import salted_hmac

from broadsheet.billing import conf
from broadsheet.billing.gateways.base import (
    ActionRequired,
    ChargeRequest,
    ChargeResult,
    ChargeStatus,
    CheckoutOutcome,
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
from broadsheet.billing.gateways.offline.books import Books, ChargeRecord, DatabaseBooks, SessionRecord

SIGNATURE_HEADER = "X-Broadsheet-Test-Signature"
DEFAULT_TOLERANCE = 300  # seconds, as Stripe's

Decider = Callable[[ChargeRequest], ChargeStatus]
Choice = str  # "success", "decline", "pending" or "cancel": what the tester picks on the hosted page


def _result(recorded: ChargeRecord) -> ChargeResult:
    status = ChargeStatus(recorded.status)
    message = "" if status is ChargeStatus.SUCCEEDED else f"test gateway: {status.value}"
    return ChargeResult(status=status, gateway_payment_id=recorded.payment_id, message=message)


def _saved_method(record: SessionRecord) -> tuple[str, str]:
    """The mandate and customer a paid session saves: the same in its webhook and in fetch_checkout."""
    return f"mandate_{record.session_id}", f"cust_{record.customer_email}"


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

    @staticmethod
    def stored_event(payload: Mapping[str, Any], event_id: str) -> WebhookEvent:
        """The event of a verified body kept in the inbox."""
        return normalise(payload, event_id)

    def __init__(
        self,
        *,
        secret: str | None = None,
        base_path: str | None = None,
        decider: Decider | None = None,
        tolerance: int = DEFAULT_TOLERANCE,
        clock: Callable[[], float] = time.time,
        books: Books | None = None,
    ) -> None:
        self.secret = secret or conf.offline_secret() or default_secret()
        path = base_path or conf.offline_page_path()
        self.base_path = path if path.endswith("/") else path + "/"
        self.decider = decider or decide_by_reference
        self.tolerance = tolerance
        self.clock = clock
        self.books: Books = books if books is not None else DatabaseBooks()

    def _derive(self, prefix: str, idempotency_key: str) -> str:
        digest = hmac.new(self.secret.encode(), f"{prefix}:{idempotency_key}".encode(), hashlib.sha256)
        return f"{prefix}_{digest.hexdigest()[:24]}"

    # --- API ------------------------------------------------------------------

    def start_checkout(self, req: CheckoutRequest) -> CheckoutSession:
        session_id = self._derive("cs_test", req.idempotency_key)
        record = self.books.session_open(
            SessionRecord(
                session_id=session_id,
                idempotency_key=req.idempotency_key,
                amount_minor=req.amount_minor,
                currency=req.currency,
                description=req.description,
                customer_email=req.customer_email,
                return_url=req.return_url,
                cancel_url=req.cancel_url,
                metadata=dict(req.metadata),
            )
        )
        return CheckoutSession(
            gateway=self.name, session_id=record.session_id, redirect_url=f"{self.base_path}{record.session_id}/"
        )

    def session(self, session_id: str) -> SessionRecord | None:
        """A hosted checkout session, for the TEST MODE page."""
        return self.books.session_get(session_id)

    def complete(self, session_id: str, choice: Choice) -> SessionRecord:
        """The tester's choice on the hosted page; a session is completed once (later choices change nothing).

        "pending" leaves the payment to be confirmed later with `confirm_pending`.
        """
        status = {"success": "paid", "decline": "declined", "pending": "pending", "cancel": "cancelled"}.get(choice)
        if status is None:
            raise GatewayError(f"test gateway: unknown choice {choice!r}", code="invalid_request")
        record = self.books.session_get(session_id)
        if record is None:
            raise GatewayError("test gateway: no such checkout session", code="resource_missing")
        payment_id = "" if status == "cancelled" else self._derive("pay_test", record.idempotency_key)
        self.books.session_close(session_id, status=status, payment_id=payment_id, only_from=("open",))
        return self.books.session_get(session_id) or record

    def confirm_pending(self, session_id: str, *, paid: bool) -> SessionRecord:
        """The later outcome of a pending payment (what the gateway's webhook then reports)."""
        record = self.books.session_get(session_id)
        if record is None:
            raise GatewayError("test gateway: no such checkout session", code="resource_missing")
        self.books.session_close(
            session_id, status="paid" if paid else "declined", payment_id=record.payment_id, only_from=("pending",)
        )
        return self.books.session_get(session_id) or record

    def fetch_checkout(self, session_id: str) -> CheckoutOutcome:
        record = self.books.session_get(session_id)
        if record is None:
            raise GatewayError("test gateway: no such checkout session", code="resource_missing")
        status = {"paid": ChargeStatus.SUCCEEDED, "declined": ChargeStatus.DECLINED, "pending": ChargeStatus.PENDING}
        outcome = status.get(record.status)
        mandate, customer = _saved_method(record) if outcome is ChargeStatus.SUCCEEDED else ("", "")
        return CheckoutOutcome(
            status=outcome,
            payment_id=record.payment_id,
            mandate_ref=mandate,
            customer_ref=customer,
            message="The test card was declined." if outcome is ChargeStatus.DECLINED else "",
        )

    def session_event(self, session_id: str) -> dict[str, Any] | None:
        """The webhook the gateway sends for a session's outcome (None while it is open or cancelled)."""
        record = self.books.session_get(session_id)
        kinds = {"paid": EventType.PAYMENT_SUCCEEDED, "declined": EventType.PAYMENT_FAILED}
        if record is None or record.status not in kinds:
            return None
        mandate, customer = _saved_method(record) if record.status == "paid" else ("", "")
        saved = {"mandate_ref": mandate, "customer_ref": customer} if mandate else {}
        return event_payload(
            f"evt_{record.status}_{session_id}",
            kinds[record.status],
            created=int(self.clock()),
            payment_id=record.payment_id,
            order_ref=session_id,
            amount_minor=record.amount_minor,
            currency=record.currency,
            **saved,
        )

    def charge(self, req: ChargeRequest) -> ChargeResult:
        """Charge a mandate once per idempotency key: a repeat is answered from the books."""
        recorded = self.books.charge_get(req.idempotency_key)
        if recorded is None:
            status = self.decider(req)  # may raise: nothing is charged then
            payment_id = self._derive("pay_test", req.idempotency_key)
            recorded = self.books.charge_add(
                ChargeRecord(
                    req.idempotency_key, payment_id, req.amount_minor, req.currency, status.value, req.mandate_ref
                )
            )
        return _result(recorded)

    def charge_many(self, reqs: Sequence[ChargeRequest]) -> list[ChargeResult | GatewayError]:
        """`charge` for many requests, in order: one look-up of the keys, one insert of the new charges.

        A request the decider refuses (unavailable, action required) gets its
        error in its place and is not recorded, as `charge` raises it.
        """
        known = self.books.charges_get([req.idempotency_key for req in reqs])
        new: dict[str, ChargeRecord] = {}
        refused: dict[int, GatewayError] = {}
        for index, req in enumerate(reqs):
            if req.idempotency_key in known or req.idempotency_key in new:
                continue
            try:
                status = self.decider(req)
            except GatewayError as error:
                refused[index] = error
                continue
            payment_id = self._derive("pay_test", req.idempotency_key)
            new[req.idempotency_key] = ChargeRecord(
                req.idempotency_key, payment_id, req.amount_minor, req.currency, status.value, req.mandate_ref
            )
        if new:
            known.update(self.books.charges_add(list(new.values())))
        return [refused.get(i) or _result(known[req.idempotency_key]) for i, req in enumerate(reqs)]

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
        reference=optional_str(data.get("reference")),
        refund_ref=optional_str(data.get("refund_ref")),
        mandate_ref=optional_str(data.get("mandate_ref")),
        customer_ref=optional_str(data.get("customer_ref")),
        amount_minor=optional_int(data.get("amount_minor")),
        currency=optional_str(data.get("currency")),
        occurred_at=datetime.fromtimestamp(created, tz=UTC) if created is not None else None,
        raw=dict(payload),
    )
