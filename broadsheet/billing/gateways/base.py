"""The gateway interface: a Protocol, the values that cross it, and its errors.

Habit 10 of docs/STYLE: gateways are backends. Callers (services, webhook views,
renewal tasks) see only what is defined here; Razorpay and Stripe SDK objects and
exceptions never leave their adapter module.

Errors, and what a caller does with them:

* ``PaymentDeclined``: the gateway said no. Retrying the same request will not
  help; record the failure (the lifecycle moves to past-due and schedules its own
  retry). ``charge`` reports a decline as ``ChargeResult(status=DECLINED)``
  instead, because a declined renewal is an ordinary outcome, not a surprise.
* ``GatewayUnavailable``: network, timeout, rate limit or a 5xx at the gateway.
  Safe to retry later with the *same* idempotency key.
* ``ActionRequired``: the customer must act (3-D Secure, a UPI approval); send
  them to ``redirect_url`` if one is given, or ask them to pay on-session.
* ``InvalidSignature``: a webhook whose signature, body or timestamp does not
  verify. Answer 400 and store nothing.
* ``GatewayError`` itself: anything else (bad configuration, a request the
  gateway refused as malformed). A bug or an operator's job: log, answer 5xx.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

# --- values -------------------------------------------------------------------


class ChargeStatus(StrEnum):
    SUCCEEDED = "succeeded"
    PENDING = "pending"  # the outcome arrives later, by webhook
    DECLINED = "declined"


class EventType(StrEnum):
    """Gateway events, normalised. Anything we do not act on is UNKNOWN."""

    PAYMENT_SUCCEEDED = "payment_succeeded"
    PAYMENT_FAILED = "payment_failed"
    PAYMENT_PENDING = "payment_pending"
    SUBSCRIPTION_RENEWED = "subscription_renewed"
    SUBSCRIPTION_CANCELLED = "subscription_cancelled"
    # The gateway will charge a subscription it renews no more (Razorpay halted; Stripe unpaid, paused):
    # renewal off, access to the end of the period already paid, no next charge promised.
    SUBSCRIPTION_STOPPED = "subscription_stopped"
    REFUND_SUCCEEDED = "refund_succeeded"
    UNKNOWN = "unknown"


def _check_money(amount_minor: int, currency: str) -> None:
    if type(amount_minor) is not int or amount_minor <= 0:
        raise ValueError(f"amount_minor must be a positive int (paise), got {amount_minor!r}")
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise ValueError(f"currency must be an upper-case ISO 4217 code, got {currency!r}")


def _check_key(idempotency_key: str) -> None:
    if not idempotency_key or len(idempotency_key) > 255:
        raise ValueError("idempotency_key must be 1-255 characters")


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    """Start a first payment on a page hosted by (or for) the gateway."""

    idempotency_key: str
    amount_minor: int
    currency: str
    customer_email: str
    customer_name: str
    plan_code: str
    description: str
    return_url: str
    cancel_url: str
    metadata: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_key(self.idempotency_key)
        _check_money(self.amount_minor, self.currency)


@dataclass(frozen=True, slots=True)
class CheckoutSession:
    gateway: str
    session_id: str
    redirect_url: str


@dataclass(frozen=True, slots=True)
class CheckoutOutcome:
    """Where a hosted checkout stands, as the gateway reports it when the reader comes back.

    ``status`` None: the reader has not finished (or the gateway does not know yet).
    ``mandate_ref``/``customer_ref``: what renewals charge later, when the checkout set one up.
    """

    status: ChargeStatus | None
    payment_id: str = ""
    mandate_ref: str = ""
    customer_ref: str = ""
    message: str = ""
    subscription_ref: str = ""  # the gateway's own subscription, when the checkout started one


@dataclass(frozen=True, slots=True)
class ChargeRequest:
    """Charge a stored mandate (a saved card, an e-mandate, a UPI autopay token)."""

    idempotency_key: str
    amount_minor: int
    currency: str
    customer_ref: str
    mandate_ref: str
    description: str = ""
    customer_email: str = ""  # Razorpay requires e-mail and phone for recurring payments
    customer_phone: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_key(self.idempotency_key)
        _check_money(self.amount_minor, self.currency)


@dataclass(frozen=True, slots=True)
class ChargeResult:
    status: ChargeStatus
    gateway_payment_id: str
    message: str = ""


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """A verified gateway event. ``(gateway, event_id)`` is the inbox's unique key."""

    gateway: str
    event_id: str
    type: EventType
    gateway_type: str  # the gateway's own name for it, e.g. "payment.captured"
    payment_id: str | None = None
    subscription_ref: str | None = None
    order_ref: str | None = None  # Razorpay order, Stripe Checkout Session or invoice
    amount_minor: int | None = None
    currency: str | None = None
    occurred_at: datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)
    # Our own Payment id, from the metadata (Stripe) or notes (Razorpay) we sent with the checkout or charge.
    reference: str | None = None
    refund_ref: str | None = None  # the gateway's refund id, for refund events
    # What renewals charge later, when the event carries it (a saved card, token or mandate, and its customer).
    mandate_ref: str | None = None
    customer_ref: str | None = None


# --- errors -------------------------------------------------------------------


class GatewayError(Exception):
    """Base of every gateway failure. ``code`` is the gateway's own code, if any."""

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class PaymentDeclined(GatewayError):
    pass


class GatewayUnavailable(GatewayError):
    pass


class ActionRequired(GatewayError):
    def __init__(self, message: str = "", *, code: str | None = None, redirect_url: str | None = None) -> None:
        super().__init__(message, code=code)
        self.redirect_url = redirect_url


class InvalidSignature(GatewayError):
    pass


class UnknownGateway(LookupError):
    """No gateway of that name is configured in BROADSHEET_GATEWAYS."""


# --- the interface ------------------------------------------------------------


@runtime_checkable
class Gateway(Protocol):
    name: str

    def start_checkout(self, req: CheckoutRequest) -> CheckoutSession: ...

    def fetch_checkout(self, session_id: str) -> CheckoutOutcome:
        """The outcome of a checkout started by start_checkout (the return page asks; webhooks also tell)."""
        ...

    def charge(self, req: ChargeRequest) -> ChargeResult: ...

    def refund(self, payment_id: str, amount_minor: int, idempotency_key: str) -> str:
        """Refund part or all of a payment; returns the gateway's refund id."""
        ...

    def charge_many(self, reqs: Sequence[ChargeRequest]) -> list[ChargeResult | GatewayError]:
        """`charge` for each request, in order; a refused one gets its error in its place (see charge_each)."""
        ...

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """Verify the signature over the raw body, then normalise. Raises InvalidSignature."""
        ...

    @staticmethod
    def stored_event(payload: Mapping[str, Any], event_id: str) -> WebhookEvent:
        """The event of a body parse_webhook already verified, from its stored JSON (inbox replays)."""
        ...


# --- helpers for adapters -----------------------------------------------------


def charge_each(gateway: Gateway, reqs: Sequence[ChargeRequest]) -> list[ChargeResult | GatewayError]:
    """charge_many for a gateway without a batch call: one charge per request, its error in its place."""
    results: list[ChargeResult | GatewayError] = []
    for req in reqs:
        try:
            results.append(gateway.charge(req))
        except GatewayError as error:
            results.append(error)
    return results


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, case-insensitively (Django's request.headers or a plain dict)."""
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, candidate in headers.items():
        if key.lower() == lowered:
            return candidate
    return None


def optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def optional_int(value: object) -> int | None:
    return value if type(value) is int else None
