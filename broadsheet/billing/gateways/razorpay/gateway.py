"""Razorpay, through the official ``razorpay`` SDK.

Checkout creates an Order (amount in paise, receipt from the idempotency key) and
sends the reader to our own page that opens Razorpay Checkout for that order
(BROADSHEET_RAZORPAY_CHECKOUT_PATH + order id). Renewals charge a stored token
with a recurring payment; its outcome arrives by webhook, so ``charge`` answers
PENDING. Webhooks are verified with ``razorpay.Utility.verify_webhook_signature``.

The SDK client is injectable (``client=``); tests pass a fake and never touch
the network. Razorpay does not deduplicate orders by receipt: the caller stores
the session before retrying, as for every gateway call (STYLE habit 7).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from broadsheet.billing import conf
from broadsheet.billing.gateways.base import (
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
    PaymentDeclined,
    WebhookEvent,
    charge_each,
    header,
    optional_int,
    optional_str,
)
from broadsheet.core.lazy_modules import lazy_module

if TYPE_CHECKING:
    import razorpay
    import razorpay.errors
    import requests
else:
    # The SDK and its HTTP stack (about 6 MB in a worker) load with the first payment a worker handles,
    # not in every worker that only serves stories. razorpay.errors comes with the package.
    razorpay = lazy_module("razorpay")
    requests = lazy_module("requests")

SIGNATURE_HEADER = "X-Razorpay-Signature"
EVENT_ID_HEADER = "X-Razorpay-Event-Id"
MAX_RECEIPT = 40  # Razorpay's limit on an order's receipt
MAX_NOTES = 15  # and on the number of notes

EVENT_TYPES: dict[str, EventType] = {
    "payment.captured": EventType.PAYMENT_SUCCEEDED,
    "payment.failed": EventType.PAYMENT_FAILED,
    "payment.authorized": EventType.PAYMENT_PENDING,
    "subscription.charged": EventType.SUBSCRIPTION_RENEWED,
    "subscription.cancelled": EventType.SUBSCRIPTION_CANCELLED,
    "subscription.halted": EventType.SUBSCRIPTION_STOPPED,  # every retry failed: Razorpay charges no more
    "refund.processed": EventType.REFUND_SUCCEEDED,
}


def receipt_for(idempotency_key: str) -> str:
    """The order receipt: the key itself, or a stable digest of it when too long."""
    if len(idempotency_key) <= MAX_RECEIPT:
        return idempotency_key
    return "bs_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[: MAX_RECEIPT - 3]


def _notes(idempotency_key: str, metadata: Mapping[str, str], **extra: str) -> dict[str, str]:
    notes = {**metadata, **{k: v for k, v in extra.items() if v}, "idempotency_key": idempotency_key}
    if len(notes) > MAX_NOTES:
        raise ValueError(f"Razorpay allows at most {MAX_NOTES} notes, got {len(notes)}")
    return {key: value[:256] for key, value in notes.items()}


def build_order_params(req: CheckoutRequest) -> dict[str, Any]:
    """``client.order.create`` data for a checkout: pure, so tests assert it offline."""
    return {
        "amount": req.amount_minor,
        "currency": req.currency,
        "receipt": receipt_for(req.idempotency_key),
        "notes": _notes(req.idempotency_key, req.metadata, plan_code=req.plan_code, email=req.customer_email),
    }


def build_recurring_params(req: ChargeRequest, order_id: str) -> dict[str, Any]:
    """``client.payment.createRecurring`` data for a renewal of a stored token."""
    return {
        "email": req.customer_email,
        "contact": req.customer_phone,
        "amount": req.amount_minor,
        "currency": req.currency,
        "order_id": order_id,
        "customer_id": req.customer_ref,
        "token": req.mandate_ref,
        "recurring": "1",
        "description": req.description,
        "notes": _notes(req.idempotency_key, req.metadata),
    }


@contextmanager
def mapped_errors() -> Iterator[None]:
    """Razorpay SDK and transport exceptions → our errors."""
    try:
        yield
    except razorpay.errors.SignatureVerificationError as exc:
        raise InvalidSignature(str(exc)) from exc
    except razorpay.errors.BadRequestError as exc:
        raise PaymentDeclined(str(exc), code="BAD_REQUEST_ERROR") from exc
    except razorpay.errors.GatewayError as exc:
        raise GatewayUnavailable(str(exc), code="GATEWAY_ERROR") from exc
    except razorpay.errors.ServerError as exc:
        raise GatewayUnavailable(str(exc), code="SERVER_ERROR") from exc
    except requests.exceptions.RequestException as exc:
        raise GatewayUnavailable(f"Razorpay unreachable: {exc}") from exc


class RazorpayGateway:
    name = "razorpay"

    @staticmethod
    def stored_event(payload: Mapping[str, Any], event_id: str) -> WebhookEvent:
        """The event of a verified body kept in the inbox."""
        return normalise(payload, str(payload.get("event")), event_id)

    def charge_many(self, reqs: Sequence[ChargeRequest]) -> list[ChargeResult | GatewayError]:
        return charge_each(self, reqs)

    def __init__(
        self,
        *,
        client: Any = None,
        key_id: str | None = None,
        key_secret: str | None = None,
        webhook_secret: str | None = None,
        checkout_path: str | None = None,
        client_factory: Callable[[str, str], Any] | None = None,
    ) -> None:
        self.key_id = key_id if key_id is not None else conf.razorpay_key_id()
        self.key_secret = key_secret if key_secret is not None else conf.razorpay_key_secret()
        self.webhook_secret = webhook_secret if webhook_secret is not None else conf.razorpay_webhook_secret()
        path = checkout_path or conf.razorpay_checkout_path()
        self.checkout_path = path if path.endswith("/") else path + "/"
        self._client = client
        self._client_factory = client_factory or (lambda key_id, secret: razorpay.Client(auth=(key_id, secret)))

    @property
    def client(self) -> Any:
        if self._client is None:
            if not (self.key_id and self.key_secret):
                raise GatewayError("RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET must be set", code="not_configured")
            self._client = self._client_factory(self.key_id, self.key_secret)
        return self._client

    # --- API ------------------------------------------------------------------

    def start_checkout(self, req: CheckoutRequest) -> CheckoutSession:
        with mapped_errors():
            order = self.client.order.create(data=build_order_params(req))
        order_id = str(order["id"])
        return CheckoutSession(gateway=self.name, session_id=order_id, redirect_url=f"{self.checkout_path}{order_id}/")

    def fetch_checkout(self, session_id: str) -> CheckoutOutcome:
        """Ask Razorpay about a checkout's order and the payments tried against it."""
        try:
            with mapped_errors():
                order = self.client.order.fetch(session_id)
                payments = self.client.order.payments(session_id)
        except PaymentDeclined as exc:  # a bad request here is an unknown order, not a decline
            raise GatewayError(exc.message, code=exc.code) from exc
        return order_outcome(order, payments)

    def charge(self, req: ChargeRequest) -> ChargeResult:
        order_params = {
            "amount": req.amount_minor,
            "currency": req.currency,
            "receipt": receipt_for(req.idempotency_key),
            "payment_capture": 1,
            "notes": _notes(req.idempotency_key, req.metadata),
        }
        try:
            with mapped_errors():
                order = self.client.order.create(data=order_params)
                payment = self.client.payment.createRecurring(data=build_recurring_params(req, str(order["id"])))
        except PaymentDeclined as exc:
            return ChargeResult(status=ChargeStatus.DECLINED, gateway_payment_id="", message=exc.message)
        payment_id = optional_str(payment.get("razorpay_payment_id")) or optional_str(payment.get("id")) or ""
        if payment.get("status") == "failed":
            return ChargeResult(ChargeStatus.DECLINED, payment_id, str(payment.get("error_description") or ""))
        if payment.get("status") == "captured":
            return ChargeResult(ChargeStatus.SUCCEEDED, payment_id)
        return ChargeResult(ChargeStatus.PENDING, payment_id, "outcome arrives by webhook")

    def refund(self, payment_id: str, amount_minor: int, idempotency_key: str) -> str:
        if type(amount_minor) is not int or amount_minor <= 0:
            raise ValueError("amount_minor must be a positive int")
        data = {"amount": amount_minor, "receipt": receipt_for(idempotency_key), "notes": _notes(idempotency_key, {})}
        with mapped_errors():
            refund = self.client.payment.refund(payment_id, data)
        return str(refund["id"])

    # --- webhooks -------------------------------------------------------------

    def verify_checkout(self, *, order_id: str, payment_id: str, signature: str) -> None:
        """Razorpay Checkout's handler result: raise InvalidSignature unless our key secret signed order|payment."""
        if not self.key_secret:
            raise GatewayError("RAZORPAY_KEY_SECRET is not set", code="not_configured")
        with mapped_errors():
            razorpay.Utility().verify_signature(f"{order_id}|{payment_id}", signature, self.key_secret)

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        if not self.webhook_secret:
            raise GatewayError("RAZORPAY_WEBHOOK_SECRET is not set", code="not_configured")
        signature = header(headers, SIGNATURE_HEADER)
        if not signature:
            raise InvalidSignature(f"missing {SIGNATURE_HEADER} header")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidSignature("body is not UTF-8") from None
        with mapped_errors():
            razorpay.Utility().verify_webhook_signature(text, signature, self.webhook_secret)
        try:
            payload = json.loads(text)
            kind = str(payload["event"])
        except (ValueError, KeyError, TypeError):
            raise GatewayError("Razorpay: signed body is not an event") from None
        return normalise(payload, kind, header(headers, EVENT_ID_HEADER))


def order_outcome(order: Mapping[str, Any], payments: Mapping[str, Any]) -> CheckoutOutcome:
    """An order and its payments (newest first, as Razorpay lists them) as our outcome: pure.

    Any captured payment pays the order; an authorized one is still to be captured
    (pending); the newest attempt having failed is a decline. Otherwise the reader
    has not finished.
    """
    items = [item for item in payments.get("items") or [] if isinstance(item, Mapping)]
    for wanted, status in (("captured", ChargeStatus.SUCCEEDED), ("authorized", ChargeStatus.PENDING)):
        for item in items:
            if item.get("status") == wanted or (wanted == "captured" and item.get("status") == "refunded"):
                paid = status is ChargeStatus.SUCCEEDED
                return CheckoutOutcome(
                    status=status,
                    payment_id=str(item.get("id") or ""),
                    mandate_ref=str(item.get("token_id") or "") if paid else "",
                    customer_ref=str(item.get("customer_id") or "") if paid else "",
                )
    if items and items[0].get("status") == "failed":
        message = str(items[0].get("error_description") or "The payment failed.")
        return CheckoutOutcome(ChargeStatus.DECLINED, payment_id=str(items[0].get("id") or ""), message=message)
    paid_order = order.get("status") == "paid"  # paid, yet no captured payment listed: ask again later
    return CheckoutOutcome(status=None, message="order paid; payment not listed yet" if paid_order else "")


def _entity(payload: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    found = (payload.get("payload") or {}).get(name) or {}
    entity = found.get("entity") if isinstance(found, Mapping) else None
    return entity if isinstance(entity, Mapping) else {}


def normalise(payload: Mapping[str, Any], kind: str, event_id: str | None) -> WebhookEvent:
    payment, subscription, refund = (
        _entity(payload, "payment"),
        _entity(payload, "subscription"),
        _entity(payload, "refund"),
    )
    money = refund or payment
    payment_id = optional_str(refund.get("payment_id")) if refund else optional_str(payment.get("id"))
    created = optional_int(payload.get("created_at"))
    # Razorpay names each delivery in a header; without it, the event and its object identify it.
    fallback_id = f"{kind}:{refund.get('id') or payment.get('id') or subscription.get('id') or created}"
    currency = optional_str(money.get("currency"))
    notes: Mapping[str, Any] = next(
        (e["notes"] for e in (payment, refund, subscription) if isinstance(e.get("notes"), Mapping)), {}
    )
    return WebhookEvent(
        gateway=RazorpayGateway.name,
        event_id=event_id or fallback_id,
        type=EVENT_TYPES.get(kind, EventType.UNKNOWN),
        gateway_type=kind,
        payment_id=payment_id,
        subscription_ref=optional_str(subscription.get("id")) or optional_str(payment.get("subscription_id")),
        order_ref=optional_str(payment.get("order_id")),
        amount_minor=optional_int(money.get("amount")),
        currency=currency.upper() if currency else None,
        occurred_at=datetime.fromtimestamp(created, tz=UTC) if created is not None else None,
        raw=dict(payload),
        reference=optional_str(notes.get("payment_id")),
        refund_ref=optional_str(refund.get("id")),
        # A recurring-enabled checkout's payment names the token renewals charge (absent for one-off cards).
        mandate_ref=None if refund else optional_str(payment.get("token_id")),
        customer_ref=None if refund else optional_str(payment.get("customer_id")),
    )
