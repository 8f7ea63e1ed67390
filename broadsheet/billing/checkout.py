"""A reader's purchase of a plan: the quote, the offer code, the payment and the gateway.

`checkout_start` does everything that must hold before money moves in one
durable transaction (the pending subscription, the payment row with its
idempotency key, the offer's reservation under a lock of the offer row), and
only after that commit asks the gateway for a checkout page. `checkout_return`
asks the gateway how it went when the reader comes back; webhooks may have told
us already, and `services.payment_settle` makes the second report a no-op.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from broadsheet.billing import pricing, services
from broadsheet.billing.gateways import get_gateway
from broadsheet.billing.gateways.base import CheckoutRequest, GatewayError
from broadsheet.billing.gateways.razorpay_gateway import RazorpayGateway
from broadsheet.billing.invoices import seller_get
from broadsheet.billing.models import Offer, OfferRedemption, Payment, Plan, Subscription
from broadsheet.core.money import period_label
from broadsheet.readers.models import User

if TYPE_CHECKING:
    from broadsheet.billing.gateways.test_gateway import TestGateway

log = logging.getLogger(__name__)

# Places of supply for GST: the 28 states and 8 union territories, as invoices print them.
STATES: tuple[str, ...] = (
    "Andaman and Nicobar Islands",
    "Andhra Pradesh",
    "Arunachal Pradesh",
    "Assam",
    "Bihar",
    "Chandigarh",
    "Chhattisgarh",
    "Dadra and Nagar Haveli and Daman and Diu",
    "Delhi",
    "Goa",
    "Gujarat",
    "Haryana",
    "Himachal Pradesh",
    "Jammu and Kashmir",
    "Jharkhand",
    "Karnataka",
    "Kerala",
    "Ladakh",
    "Lakshadweep",
    "Madhya Pradesh",
    "Maharashtra",
    "Manipur",
    "Meghalaya",
    "Mizoram",
    "Nagaland",
    "Odisha",
    "Puducherry",
    "Punjab",
    "Rajasthan",
    "Sikkim",
    "Tamil Nadu",
    "Telangana",
    "Tripura",
    "Uttar Pradesh",
    "Uttarakhand",
    "West Bengal",
)

_REFUSALS = {
    pricing.Refusal.INVALID: "The code {code} cannot be used.",
    pricing.Refusal.NOT_YET_VALID: "The code {code} can be used from {start}.",
    pricing.Refusal.EXPIRED: "The code {code} expired on {end}.",
    pricing.Refusal.USED_UP: "The code {code} has been used as many times as it allows.",
}


class CheckoutRefused(Exception):
    """The purchase cannot start as asked; the message is for the reader."""


@dataclass(frozen=True, slots=True)
class CheckoutQuote:
    """What the checkout page shows: the pricing quote, and why a code was refused (in words)."""

    plan: Plan
    quote: pricing.Quote
    offer: Offer | None  # the accepted offer, if any
    offer_code: str
    refusal: str  # empty when no code was given or it was accepted


@dataclass(frozen=True, slots=True)
class CheckoutStart:
    outcome: Literal["redirect", "activated", "already_subscribed"]
    redirect_url: str
    payment: Payment | None


def hold_minutes() -> int:
    return int(getattr(settings, "BROADSHEET_OFFER_HOLD_MINUTES", 30))


def _day(at: datetime | None) -> str:
    return timezone.localtime(at).strftime("%-d %B %Y") if at is not None else ""


def _pure(offer: Offer, *, used: int) -> pricing.Offer:
    return pricing.Offer(
        kind=pricing.OfferKind(offer.kind),
        value=offer.value,
        max_uses=offer.max_uses,
        used=used,
        valid_from=offer.valid_from,
        valid_until=offer.valid_until,
    )


def _uses_held(offer: Offer, *, at: datetime) -> Q:
    """Redemptions that count against the limit: paid ones, and reservations still within their hold."""
    fresh = at - timedelta(minutes=hold_minutes())
    reserved = Q(status=OfferRedemption.Status.RESERVED, created_at__gt=fresh)
    return Q(offer=offer) & (Q(status=OfferRedemption.Status.CONFIRMED) | reserved)


def offer_check(*, code: str, plan: Plan, user_id: int, at: datetime) -> tuple[Offer | None, pricing.Offer | None, str]:
    """The offer row and its pure twin for this reader and plan, or a refusal in plain words."""
    code = code.strip().upper()
    offer = Offer.objects.filter(code=code, is_active=True).prefetch_related("plans").first()
    if offer is None:
        return None, None, f"We don't know the code {code}. Check the spelling: the price is unchanged."
    plans = list(offer.plans.all())
    if plans and plan not in plans:
        return None, None, f"The code {code} is not valid for the {plan.name} plan."
    mine = OfferRedemption.objects.filter(_uses_held(offer, at=at), user_id=user_id)
    if mine.exists():
        return None, None, f"You have already used the code {code}."
    pure = _pure(offer, used=OfferRedemption.objects.filter(_uses_held(offer, at=at)).count())
    result = pricing.apply_offer(plan.price_minor, pure, now=at)
    if result.refusal is not None:
        text = _REFUSALS[result.refusal].format(code=code, start=_day(offer.valid_from), end=_day(offer.valid_until))
        return None, None, text
    return offer, pure, ""


def checkout_quote(*, plan: Plan, offer_code: str, buyer_state: str, user_id: int, at: datetime) -> CheckoutQuote:
    """The price the reader would pay now, with GST by place of supply and the offer's effect."""
    offer, pure, refusal = None, None, ""
    if offer_code.strip():
        offer, pure, refusal = offer_check(code=offer_code, plan=plan, user_id=user_id, at=at)
    quote = pricing.quote(
        plan.price_minor, offer=pure, now=at, seller_state=seller_get().state, buyer_state=buyer_state or None
    )
    return CheckoutQuote(plan=plan, quote=quote, offer=offer, offer_code=offer_code.strip().upper(), refusal=refusal)


def active_subscription_for(*, user_id: int, plan: Plan, at: datetime) -> Subscription | None:
    """The reader's subscription to this plan that still gives access, if any."""
    return (
        Subscription.objects.filter(user_id=user_id, plan=plan, access_until__gt=at)
        .exclude(status=Subscription.Status.PENDING)
        .first()
    )


def return_url(payment: Payment) -> str:
    return f"{settings.SITE_URL}{reverse('billing_return', args=[payment.pk])}"


def checkout_start(
    *, user: User, plan: Plan, offer_code: str, buyer_name: str, buyer_state: str, return_path: str, at: datetime
) -> CheckoutStart:
    """Start a first payment for `plan`; raises CheckoutRefused with a reason for the reader."""
    if not plan.is_active:
        raise CheckoutRefused("This plan is not on sale any more.")
    if active_subscription_for(user_id=user.pk, plan=plan, at=at) is not None:
        return CheckoutStart("already_subscribed", reverse("account"), None)
    gateway = get_gateway()
    payment = _reserve(
        user=user, plan=plan, offer_code=offer_code, buyer_name=buyer_name, buyer_state=buyer_state,
        return_path=return_path, at=at, gateway=gateway.name,
    )  # fmt: skip
    if payment.amount_minor == 0:  # a 100%-off offer: nothing to collect, no gateway, no invoice
        services.payment_settle(
            payment_id=payment.pk, outcome="succeeded", at=at, actor=f"user:{user.pk}", message="free with an offer"
        )
        return CheckoutStart("activated", return_url(payment), payment)
    redirect = gateway_session(payment, gateway_name=gateway.name, buyer_name=buyer_name, email=user.email)
    return CheckoutStart("redirect", redirect, payment)


def _reserve(
    *,
    user: User,
    plan: Plan,
    offer_code: str,
    buyer_name: str,
    buyer_state: str,
    return_path: str,
    at: datetime,
    gateway: str,
) -> Payment:
    """Subscription, payment and offer reservation, committed together before the gateway is called.

    The offer row is locked first, so parallel checkouts for a code with a use
    limit count each other's reservations and never exceed it.
    """
    with transaction.atomic(durable=True):
        offer_row, pure = None, None
        if offer_code.strip():
            list(Offer.objects.select_for_update().filter(code=offer_code.strip().upper()))  # the lock
            offer_row, pure, refusal = offer_check(code=offer_code, plan=plan, user_id=user.pk, at=at)
            if refusal:
                raise CheckoutRefused(refusal)
        seller = seller_get().state
        quote = pricing.quote(plan.price_minor, offer=pure, now=at, seller_state=seller, buyer_state=buyer_state)
        sub = services.subscription_create_pending(
            user_id=user.pk, plan=plan, at=at, gateway=gateway, buyer_name=buyer_name, buyer_state=buyer_state
        )
        payment = services.payment_create(
            user_id=user.pk,
            plan=plan,
            kind=Payment.Kind.FIRST,
            amount_minor=quote.total_paise,
            at=at,
            gateway=gateway,
            subscription_id=sub.pk,
            list_price_minor=quote.list_price_paise,
            discount_minor=quote.discount_paise,
            offer_id=offer_row.pk if offer_row else None,
            return_path=return_path,
        )
        if offer_row is not None:
            OfferRedemption.objects.create(offer=offer_row, user=user, payment=payment, created_at=at)
        return payment


def gateway_session(payment: Payment, *, gateway_name: str, buyer_name: str, email: str) -> str:
    """Ask the gateway for its checkout page; the session id is kept on the (committed) payment."""
    plan = payment.plan
    request = CheckoutRequest(
        idempotency_key=payment.idempotency_key,
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        customer_email=email,
        customer_name=buyer_name,
        plan_code=plan.slug,
        description=f"{plan.name}, {period_label(plan.period_months)}",
        return_url=return_url(payment),
        cancel_url=f"{settings.SITE_URL}{reverse('billing_checkout', args=[plan.slug])}",
        metadata={"payment_id": str(payment.pk), "kind": payment.kind},
    )
    session = get_gateway(gateway_name).start_checkout(request)
    Payment.objects.filter(pk=payment.pk).update(checkout_session_id=session.session_id)
    payment.checkout_session_id = session.session_id
    return session.redirect_url


def checkout_return(*, payment: Payment, at: datetime) -> Payment:
    """Ask the gateway how the reader's checkout went, and record it (once, whoever reports first)."""
    if payment.status in Payment.FINAL or not payment.checkout_session_id:
        return payment
    fetch = getattr(get_gateway(payment.gateway), "fetch_checkout", None)
    if fetch is None:  # Razorpay: its checkout handler (razorpay_verify) or webhook reports instead
        return payment
    try:
        outcome = fetch(payment.checkout_session_id)
    except GatewayError:
        return payment  # the gateway cannot say now: its webhook will
    if outcome.status is None:
        return payment
    return services.payment_settle(
        payment_id=payment.pk,
        outcome=outcome.status.value,
        at=at,
        actor=f"gateway:{payment.gateway}",
        gateway_payment_id=outcome.payment_id,
        message=outcome.message,
        mandate_ref=outcome.mandate_ref,
        customer_ref=outcome.customer_ref,
    )


# --- the offline test gateway's hosted page and Razorpay's checkout handler ---------------


def test_gateway_choose(*, session_id: str, choice: str, at: datetime) -> str:
    """The tester's choice on the TEST MODE page, then its signed webhook; returns where the reader goes."""
    from broadsheet.billing.gateways.test_gateway import TestGateway

    gateway = TestGateway()
    if choice in ("confirm", "fail"):
        record = gateway.confirm_pending(session_id, paid=choice == "confirm")
    else:
        record = gateway.complete(session_id, choice)
    _deliver_test_webhook(gateway, session_id, at=at)
    return record.return_url


def _deliver_test_webhook(gateway: TestGateway, session_id: str, *, at: datetime) -> None:
    """Hand the gateway's signed webhook to our inbox in-process, as if it had come over HTTP."""
    payload = gateway.session_event(session_id)
    if payload is None:
        return
    body, headers = gateway.sign_webhook(payload)
    from broadsheet.billing.webhooks import inbox_receive

    try:
        inbox_receive(gateway_name=gateway.name, body=body, headers=headers, at=at)
    except Exception:  # the inbox keeps its own record; the outcome is recorded as the return page would
        log.exception("test gateway webhook for %s was not taken in", session_id)
        payment = Payment.objects.filter(gateway=gateway.name, checkout_session_id=session_id).first()
        if payment is not None:
            checkout_return(payment=payment, at=at)


def razorpay_verify(
    *, payment: Payment, order_id: str, razorpay_payment_id: str, signature: str, at: datetime
) -> Payment:
    """Razorpay Checkout's handler reports a payment: verify its signature, then record it as paid.

    Raises InvalidSignature (and records nothing) when the signature does not
    match the order and payment with our key secret.
    """
    from broadsheet.billing.gateways.base import InvalidSignature

    if not order_id or order_id != payment.checkout_session_id:
        raise InvalidSignature("the order is not this payment's")
    gateway = get_gateway("razorpay")
    if not isinstance(gateway, RazorpayGateway):
        raise GatewayError("the razorpay gateway is not Razorpay's adapter", code="not_configured")
    gateway.verify_checkout(order_id=order_id, payment_id=razorpay_payment_id, signature=signature)
    return services.payment_settle(
        payment_id=payment.pk,
        outcome="succeeded",
        at=at,
        actor="gateway:razorpay",
        gateway_payment_id=razorpay_payment_id,
    )
