"""Stripe, through the official ``stripe`` SDK.

Checkout is a Stripe Checkout Session in ``payment`` mode that saves the card for
off-session use (``setup_future_usage``): renewals are ours (billing/lifecycle.py
decides them) and charge the saved payment method with a PaymentIntent. The
Stripe Billing events (invoice.*, customer.subscription.deleted) are normalised
too, for publishers who run subscriptions in Stripe.

Every API call goes through an injectable callable, so tests assert the
parameters (built by pure functions) and never touch the network. Webhooks are
verified by ``stripe.Webhook.construct_event``; the event leaves this module as
a plain dict inside a WebhookEvent, never as a Stripe object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import stripe

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
    PaymentDeclined,
    WebhookEvent,
    charge_each,
    header,
    optional_int,
    optional_str,
)

SIGNATURE_HEADER = "Stripe-Signature"
DEFAULT_TOLERANCE = 300

# An API call: (params, idempotency_key) -> a Stripe object or a mapping.
ApiCall = Callable[[dict[str, Any], str], Any]
# A read by id: (object id) -> a Stripe object or a mapping.
ApiRead = Callable[[str], Any]

EVENT_TYPES: dict[str, EventType] = {
    "checkout.session.async_payment_succeeded": EventType.PAYMENT_SUCCEEDED,
    "checkout.session.async_payment_failed": EventType.PAYMENT_FAILED,
    "payment_intent.succeeded": EventType.PAYMENT_SUCCEEDED,
    "payment_intent.payment_failed": EventType.PAYMENT_FAILED,
    "invoice.paid": EventType.SUBSCRIPTION_RENEWED,
    "invoice.payment_failed": EventType.PAYMENT_FAILED,
    "customer.subscription.deleted": EventType.SUBSCRIPTION_CANCELLED,
    "charge.refunded": EventType.REFUND_SUCCEEDED,
}  # checkout.session.completed depends on its payment_status: see _checkout_completed_type

# customer.subscription.* (created, updated, paused, resumed, …) by the subscription's status, for
# subscriptions Stripe renews itself. Money moves by invoice.* events; a status only says whether
# Stripe will charge again. UNKNOWN is "stored, reported": kept in the inbox as ignored, with the
# status in its type, because the invoices decide access.
SUBSCRIPTION_STATUSES: dict[str, EventType] = {
    "active": EventType.UNKNOWN,  # renewals arrive as invoice.paid
    "trialing": EventType.UNKNOWN,  # access follows the checkout's outcome (a trial is paid up front here)
    "incomplete": EventType.UNKNOWN,  # the first invoice's payment decides (invoice.paid activates)
    "past_due": EventType.UNKNOWN,  # Stripe is retrying: invoice.paid renews; access runs to the paid end
    "unpaid": EventType.SUBSCRIPTION_STOPPED,  # retries over, invoices left open: no further charge
    "paused": EventType.SUBSCRIPTION_STOPPED,  # no invoices while paused
    "incomplete_expired": EventType.SUBSCRIPTION_STOPPED,  # the first payment never came
    "canceled": EventType.SUBSCRIPTION_CANCELLED,
}


def _metadata(idempotency_key: str, metadata: Mapping[str, str], **extra: str) -> dict[str, str]:
    return {**metadata, **{k: v for k, v in extra.items() if v}, "idempotency_key": idempotency_key}


def build_checkout_session_params(req: CheckoutRequest) -> dict[str, Any]:
    """``stripe.checkout.Session.create`` parameters: pure, so tests assert them offline."""
    metadata = _metadata(req.idempotency_key, req.metadata, plan_code=req.plan_code)
    return {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": req.currency.lower(),
                    "unit_amount": req.amount_minor,
                    "product_data": {
                        "name": req.description or req.plan_code,
                        "metadata": {"plan_code": req.plan_code},
                    },
                },
            }
        ],
        "customer_email": req.customer_email,
        "customer_creation": "always",
        "client_reference_id": req.idempotency_key[:200],
        "success_url": req.return_url,
        "cancel_url": req.cancel_url,
        "metadata": metadata,
        "payment_intent_data": {
            "setup_future_usage": "off_session",
            "description": req.description,
            "metadata": metadata,
        },
    }


def build_payment_intent_params(req: ChargeRequest) -> dict[str, Any]:
    """``stripe.PaymentIntent.create`` parameters for an off-session renewal."""
    return {
        "amount": req.amount_minor,
        "currency": req.currency.lower(),
        "customer": req.customer_ref,
        "payment_method": req.mandate_ref,
        "off_session": True,
        "confirm": True,
        "description": req.description,
        "metadata": _metadata(req.idempotency_key, req.metadata),
    }


@contextmanager
def mapped_errors() -> Iterator[None]:
    """Stripe SDK exceptions → our errors."""
    try:
        yield
    except stripe.CardError as exc:
        if exc.code == "authentication_required":
            raise ActionRequired(exc.user_message or str(exc), code=exc.code) from exc
        raise PaymentDeclined(exc.user_message or str(exc), code=exc.code) from exc
    except stripe.SignatureVerificationError as exc:
        raise InvalidSignature(str(exc)) from exc
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as exc:
        raise GatewayUnavailable(str(exc), code=exc.code) from exc
    except stripe.StripeError as exc:  # authentication, permission, invalid request, idempotency
        raise GatewayError(str(exc), code=exc.code) from exc


def _get(obj: Any, key: str) -> Any:
    """A field of a Stripe object or of a plain mapping (fakes), or None."""
    try:
        return obj[key]
    except (KeyError, TypeError):
        return None


class StripeGateway:
    name = "stripe"

    @staticmethod
    def stored_event(payload: Mapping[str, Any], event_id: str) -> WebhookEvent:
        """The event of a verified body kept in the inbox."""
        return normalise(payload)

    def charge_many(self, reqs: Sequence[ChargeRequest]) -> list[ChargeResult | GatewayError]:
        return charge_each(self, reqs)

    def __init__(
        self,
        *,
        api_key: str | None = None,
        webhook_secret: str | None = None,
        create_session: ApiCall | None = None,
        create_payment_intent: ApiCall | None = None,
        create_refund: ApiCall | None = None,
        retrieve_session: ApiRead | None = None,
        tolerance: int = DEFAULT_TOLERANCE,
    ) -> None:
        self.api_key = api_key if api_key is not None else conf.stripe_secret_key()
        self.webhook_secret = webhook_secret if webhook_secret is not None else conf.stripe_webhook_secret()
        self.tolerance = tolerance
        self._create_session = create_session or self._sdk(stripe.checkout.Session.create)
        self._create_payment_intent = create_payment_intent or self._sdk(stripe.PaymentIntent.create)
        self._create_refund = create_refund or self._sdk(stripe.Refund.create)
        self._retrieve_session = retrieve_session or self._sdk_read(stripe.checkout.Session.retrieve)

    def _sdk(self, method: Callable[..., Any]) -> ApiCall:
        def call(params: dict[str, Any], idempotency_key: str) -> Any:
            if not self.api_key:
                raise GatewayError("STRIPE_SECRET_KEY is not set", code="not_configured")
            return method(api_key=self.api_key, idempotency_key=idempotency_key, **params)

        return call

    def _sdk_read(self, method: Callable[..., Any]) -> ApiRead:
        def read(object_id: str) -> Any:
            if not self.api_key:
                raise GatewayError("STRIPE_SECRET_KEY is not set", code="not_configured")
            return method(object_id, api_key=self.api_key, expand=["payment_intent"])

        return read

    # --- API ------------------------------------------------------------------

    def start_checkout(self, req: CheckoutRequest) -> CheckoutSession:
        with mapped_errors():
            session = self._create_session(build_checkout_session_params(req), req.idempotency_key)
        return CheckoutSession(
            gateway=self.name, session_id=str(_get(session, "id")), redirect_url=str(_get(session, "url"))
        )

    def fetch_checkout(self, session_id: str) -> CheckoutOutcome:
        """Ask Stripe where a Checkout Session stands (the payment intent expanded, for the saved card)."""
        with mapped_errors():
            session = self._retrieve_session(session_id)
        return checkout_outcome(session)

    def charge(self, req: ChargeRequest) -> ChargeResult:
        try:
            with mapped_errors():
                intent = self._create_payment_intent(build_payment_intent_params(req), req.idempotency_key)
        except PaymentDeclined as exc:
            return ChargeResult(ChargeStatus.DECLINED, "", exc.message)
        intent_id, status = str(_get(intent, "id")), _get(intent, "status")
        if status == "succeeded":
            return ChargeResult(ChargeStatus.SUCCEEDED, intent_id)
        if status == "processing":
            return ChargeResult(ChargeStatus.PENDING, intent_id, "outcome arrives by webhook")
        if status in ("requires_action", "requires_confirmation"):
            raise ActionRequired("Stripe needs the customer to authenticate", code=str(status))
        return ChargeResult(ChargeStatus.DECLINED, intent_id, f"payment intent is {status}")

    def refund(self, payment_id: str, amount_minor: int, idempotency_key: str) -> str:
        if type(amount_minor) is not int or amount_minor <= 0:
            raise ValueError("amount_minor must be a positive int")
        with mapped_errors():
            refund = self._create_refund({"payment_intent": payment_id, "amount": amount_minor}, idempotency_key)
        return str(_get(refund, "id"))

    # --- webhooks -------------------------------------------------------------

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        if not self.webhook_secret:
            raise GatewayError("STRIPE_WEBHOOK_SECRET is not set", code="not_configured")
        signature = header(headers, SIGNATURE_HEADER)
        if not signature:
            raise InvalidSignature(f"missing {SIGNATURE_HEADER} header")
        try:
            with mapped_errors():
                event = stripe.Webhook.construct_event(body, signature, self.webhook_secret, tolerance=self.tolerance)
        except (ValueError, UnicodeDecodeError) as exc:  # verified, but not an event
            raise GatewayError(f"Stripe: signed body is not an event: {exc}") from exc
        return normalise(event.to_dict())


def _id_of(value: Any) -> str:
    """The id of an expandable field: a plain id string, or the expanded object's id."""
    if isinstance(value, str):
        return value
    return str(_get(value, "id") or "")


def checkout_outcome(session: Any) -> CheckoutOutcome:
    """A retrieved Checkout Session as our outcome: pure, so tests pass a mapping.

    ``complete`` + ``paid`` is a success; ``complete`` + ``unpaid`` is an asynchronous
    method (a bank debit) still on its way, unless its payment intent already failed;
    ``open`` and ``expired`` mean the reader never finished (status None).
    """
    status, payment_status = _get(session, "status"), _get(session, "payment_status")
    if status != "complete":
        return CheckoutOutcome(status=None, message="checkout expired" if status == "expired" else "")
    intent = _get(session, "payment_intent")
    payment_id, customer = _id_of(intent), _id_of(_get(session, "customer"))
    subscription = _id_of(_get(session, "subscription"))
    if payment_status in ("paid", "no_payment_required"):
        mandate = "" if isinstance(intent, str) else _id_of(_get(intent, "payment_method"))
        return CheckoutOutcome(ChargeStatus.SUCCEEDED, payment_id, mandate, customer, "", subscription)
    if _get(intent, "status") in ("requires_payment_method", "canceled"):
        message = str(_get(_get(intent, "last_payment_error"), "message") or "The payment failed.")
        return CheckoutOutcome(ChargeStatus.DECLINED, payment_id, "", customer, message, subscription)
    return CheckoutOutcome(ChargeStatus.PENDING, payment_id, "", customer, "outcome arrives by webhook", subscription)


def _checkout_completed_type(session: Mapping[str, Any]) -> EventType:
    if session.get("payment_status") in ("paid", "no_payment_required"):
        return EventType.PAYMENT_SUCCEEDED
    return EventType.PAYMENT_PENDING  # an asynchronous method: the outcome follows as async_payment_*


def _invoice_paid_type(invoice: Mapping[str, Any]) -> EventType:
    """A subscription's first invoice pays for its first period, not a renewal."""
    if invoice.get("billing_reason") == "subscription_create":
        return EventType.PAYMENT_SUCCEEDED
    return EventType.SUBSCRIPTION_RENEWED


def _reference(obj: Mapping[str, Any]) -> str | None:
    """Our Payment id, from the metadata we sent (the session's, the intent's, or a subscription's)."""
    details = (obj.get("parent") or {}).get("subscription_details") or obj.get("subscription_details") or {}
    for metadata in (obj.get("metadata"), details.get("metadata")):
        if isinstance(metadata, Mapping) and (found := optional_str(metadata.get("payment_id"))):
            return found
    return None


def _refund_of(obj: Mapping[str, Any], kind: str) -> str | None:
    """The newest refund of a refunded charge, when the event lists them (older API versions do)."""
    refunds = (obj.get("refunds") or {}).get("data") if kind == "charge.refunded" else None
    if isinstance(refunds, list) and refunds and isinstance(refunds[0], Mapping):
        return optional_str(refunds[0].get("id"))
    return None


def _subscription_of(obj: Mapping[str, Any], kind: str) -> str | None:
    if kind.startswith("customer.subscription."):
        return optional_str(obj.get("id"))
    if subscription := optional_str(obj.get("subscription")):
        return subscription
    details = (obj.get("parent") or {}).get("subscription_details") or {}  # invoices, API 2025-03 and later
    return optional_str(details.get("subscription"))


def _money(obj: Mapping[str, Any], kind: str) -> int | None:
    for field in ("amount_refunded",) if kind == "charge.refunded" else ("amount_total", "amount_paid", "amount"):
        if (value := optional_int(obj.get(field))) is not None:
            return value
    return None


def normalise(event: Mapping[str, Any]) -> WebhookEvent:
    kind = str(event.get("type"))
    obj: Mapping[str, Any] = (event.get("data") or {}).get("object") or {}
    object_kind = obj.get("object")
    if kind.startswith("customer.subscription.") and kind != "customer.subscription.deleted":
        status = str(obj.get("status"))
        event_type = SUBSCRIPTION_STATUSES.get(status, EventType.UNKNOWN)
        kind = f"{kind} ({status})"
    elif kind == "checkout.session.completed":
        event_type = _checkout_completed_type(obj)
    elif kind == "invoice.paid":
        event_type = _invoice_paid_type(obj)
    elif object_kind == "payment_intent" and obj.get("invoice"):
        event_type = EventType.UNKNOWN  # an invoice's payment: its invoice.* event tells the outcome
    else:
        event_type = EVENT_TYPES.get(kind, EventType.UNKNOWN)
    payment_id = (
        optional_str(obj.get("id")) if object_kind == "payment_intent" else optional_str(obj.get("payment_intent"))
    )
    order_ref = optional_str(obj.get("id")) if object_kind in ("checkout.session", "invoice") else None
    currency, created = optional_str(obj.get("currency")), optional_int(event.get("created"))
    return WebhookEvent(
        gateway=StripeGateway.name,
        event_id=str(event.get("id")),
        type=event_type,
        gateway_type=kind,
        payment_id=payment_id,
        subscription_ref=_subscription_of(obj, kind),
        order_ref=order_ref,
        amount_minor=_money(obj, kind),
        currency=currency.upper() if currency else None,
        occurred_at=datetime.fromtimestamp(created, tz=UTC) if created is not None else None,
        raw=dict(event),
        reference=_reference(obj),
        refund_ref=_refund_of(obj, kind),
        mandate_ref=_saved_card_of(obj),
        customer_ref=optional_str(_id_of(obj.get("customer"))) if object_kind in _PAYING else None,
    )


_PAYING = ("payment_intent", "checkout.session")


def _saved_card_of(obj: Mapping[str, Any]) -> str | None:
    """The payment method a payment intent saved for off-session use (a session's only when expanded)."""
    intent = obj if obj.get("object") == "payment_intent" else obj.get("payment_intent")
    if not isinstance(intent, Mapping) or obj.get("object") not in _PAYING:
        return None
    return optional_str(_id_of(intent.get("payment_method")))
