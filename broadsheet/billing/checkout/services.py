"""A reader's purchase of a plan: the quote, the offer code, the payment and the gateway.

`checkout_start` does everything that must hold before money moves in one
durable transaction (the pending subscription, the payment row with its
idempotency key, the offer's reservation under a lock of the offer row), and
only after that commit asks the gateway for a checkout page. `checkout_return`
asks the gateway how it went when the reader comes back; webhooks may have told
us already, and `settlement.payment_settle` makes the second report a no-op.

A reader has at most one open checkout per plan (a first payment created or
pending at the gateway; the database's `billing_one_open_checkout` constraint
holds it under parallel submits). Pressing Pay again resumes it: the same
gateway page, the same offer reservation. Changing the terms (another code,
another state) abandons it at once, releasing its offer, and opens a new one.
An offer is used by the payment that succeeds; an open checkout's reservation
holds a use of a limited code against other readers, never against its reader.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from broadsheet.billing import conf, locks
from broadsheet.billing.gateways.base import CheckoutRequest
from broadsheet.billing.gateways.registry import get_gateway
from broadsheet.billing.invoices.services import seller_get
from broadsheet.billing.models import Offer, OfferRedemption, Payment, Plan, Subscription
from broadsheet.billing.payments import duplicates, mandates, settlement
from broadsheet.billing.rules import pricing
from broadsheet.billing.subscriptions import services
from broadsheet.core.money import period_label
from broadsheet.readers.models import User

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
    outcome: Literal["redirect", "activated", "already_subscribed", "in_progress"]
    redirect_url: str
    payment: Payment | None


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
    fresh = at - timedelta(minutes=conf.offer_hold_minutes())
    reserved = Q(status=OfferRedemption.Status.RESERVED, created_at__gt=fresh)
    return Q(offer=offer) & (Q(status=OfferRedemption.Status.CONFIRMED) | reserved)


def _own_open_checkout(*, user_id: int, plan: Plan) -> Q:
    """The reservation of the reader's open checkout of this plan: starting again resumes or replaces it."""
    return Q(
        user_id=user_id,
        status=OfferRedemption.Status.RESERVED,
        payment__plan=plan,
        payment__kind=Payment.Kind.FIRST,
        payment__status__in=Payment.OPEN,
    )


def offer_check(*, code: str, plan: Plan, user_id: int, at: datetime) -> tuple[Offer | None, pricing.Offer | None, str]:
    """The offer row and its pure twin for this reader and plan, or a refusal in plain words."""
    code = code.strip().upper()
    offer = Offer.objects.filter(code=code, is_active=True).prefetch_related("plans").first()
    if offer is None:
        return None, None, f"We don't know the code {code}. Check the spelling: the price is unchanged."
    plans = list(offer.plans.all())
    if plans and plan not in plans:
        return None, None, f"The code {code} is not valid for the {plan.name} plan."
    held = OfferRedemption.objects.filter(_uses_held(offer, at=at)).exclude(
        _own_open_checkout(user_id=user_id, plan=plan)
    )
    if held.filter(user_id=user_id).exists():
        return None, None, f"You have already used the code {code}."
    pure = _pure(offer, used=held.count())
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
    """Start (or resume) the reader's payment for `plan`; raises CheckoutRefused with a reason for the reader."""
    if not plan.is_active:
        raise CheckoutRefused("This plan is not on sale any more.")
    if active_subscription_for(user_id=user.pk, plan=plan, at=at) is not None:
        return CheckoutStart("already_subscribed", reverse("account"), None)
    gateway = get_gateway()
    terms = _Terms(offer_code, buyer_name, buyer_state, return_path)
    try:
        payment = _reserve(user=user, plan=plan, terms=terms, at=at, gateway=gateway.name)
    except IntegrityError:  # a parallel submit opened the checkout first: resume that one
        payment = _reserve(user=user, plan=plan, terms=terms, at=at, gateway=gateway.name)
    if payment.status == Payment.Status.PENDING:  # paid, the bank has yet to confirm: no second payment
        return CheckoutStart("in_progress", return_url(payment), payment)
    if payment.amount_minor == 0:  # a 100%-off offer: nothing to collect, no gateway, no invoice
        settlement.payment_settle(
            payment_id=payment.pk, outcome="succeeded", at=at, actor=f"user:{user.pk}", message="free with an offer"
        )
        return CheckoutStart("activated", return_url(payment), payment)
    if payment.checkout_url:  # resumed: the same gateway page, never a second session
        return CheckoutStart("redirect", payment.checkout_url, payment)
    redirect = gateway_session(payment, gateway_name=payment.gateway, buyer_name=buyer_name, email=user.email)
    return CheckoutStart("redirect", redirect, payment)


@dataclass(frozen=True, slots=True)
class _Terms:
    offer_code: str
    buyer_name: str
    buyer_state: str
    return_path: str


def _reserve(*, user: User, plan: Plan, terms: _Terms, at: datetime, gateway: str) -> Payment:
    """Subscription, payment and offer reservation, committed together before the gateway is called;
    or the reader's open checkout of this plan, resumed when its terms are the same.

    The reader's row is locked first (PostgreSQL), so a second submit waits and
    finds the first one's checkout; the unique constraint backs it everywhere.
    The offer row is locked next, so parallel checkouts for a code with a use
    limit count each other's reservations and never exceed it.
    """
    with transaction.atomic(durable=True):
        locks.reader_lock(user.pk)
        offer_row, pure = None, None
        code = terms.offer_code.strip().upper()
        if code:
            locks.offer_lock(code)
            offer_row, pure, refusal = offer_check(code=code, plan=plan, user_id=user.pk, at=at)
            if refusal:
                raise CheckoutRefused(refusal)
        seller = seller_get().state
        quote = pricing.quote(plan.price_minor, offer=pure, now=at, seller_state=seller, buyer_state=terms.buyer_state)
        wanted = _Wanted(terms, offer_row.pk if offer_row else None, quote.total_paise, gateway)
        resumed = _resume_or_abandon(user_id=user.pk, plan=plan, wanted=wanted, at=at)
        if resumed is not None:
            return resumed
        return _checkout_create(user=user, plan=plan, terms=terms, quote=quote, offer=offer_row, at=at, gateway=gateway)


def _checkout_create(
    *, user: User, plan: Plan, terms: _Terms, quote: pricing.Quote, offer: Offer | None, at: datetime, gateway: str
) -> Payment:
    """A new checkout, in the caller's transaction: the pending subscription, its payment, the offer's use."""
    sub = services.subscription_create_pending(
        user_id=user.pk, plan=plan, at=at, gateway=gateway, buyer_name=terms.buyer_name, buyer_state=terms.buyer_state
    )
    payment = settlement.payment_create(
        user_id=user.pk,
        plan=plan,
        kind=Payment.Kind.FIRST,
        amount_minor=quote.total_paise,
        at=at,
        gateway=gateway,
        subscription_id=sub.pk,
        list_price_minor=quote.list_price_paise,
        discount_minor=quote.discount_paise,
        offer_id=offer.pk if offer else None,
        return_path=terms.return_path,
    )
    if offer is not None:
        OfferRedemption.objects.create(offer=offer, user=user, payment=payment, created_at=at)
    return payment


@dataclass(frozen=True, slots=True)
class _Wanted:
    terms: _Terms
    offer_id: int | None
    amount_minor: int
    gateway: str

    def met_by(self, payment: Payment) -> bool:
        sub = payment.subscription
        return (
            sub is not None
            and (payment.offer_id, payment.amount_minor, payment.gateway)
            == (self.offer_id, self.amount_minor, self.gateway)
            and (sub.buyer_name, sub.buyer_state) == (self.terms.buyer_name, self.terms.buyer_state)
        )


def open_checkout_for(*, user_id: int, plan: Plan) -> Payment | None:
    """The reader's open checkout of this plan (created, or pending at the bank), if any."""
    return (
        Payment.objects.filter(user_id=user_id, plan=plan, kind=Payment.Kind.FIRST, status__in=Payment.OPEN)
        .select_related("plan", "subscription", "offer")
        .first()
    )


def _resume_or_abandon(*, user_id: int, plan: Plan, wanted: _Wanted, at: datetime) -> Payment | None:
    """The open checkout to resume: one at the bank whatever was asked, or one on the same terms.

    One on other terms (another code, state or name) is abandoned now, which
    releases its offer reservation at once, and None says to open a new one.
    Its gateway page may still be paid: `services` then refunds the second
    payment for the plan (billing/duplicates.py).
    """
    found = open_checkout_for(user_id=user_id, plan=plan)
    if found is None:
        return None
    if found.status == Payment.Status.PENDING or wanted.met_by(found):
        if found.return_path != wanted.terms.return_path:
            Payment.objects.filter(pk=found.pk).update(return_path=wanted.terms.return_path)
            found.return_path = wanted.terms.return_path
        return found
    settlement.payment_settle(
        payment_id=found.pk, outcome="abandoned", at=at, actor=f"user:{user_id}", message="the reader started again"
    )
    return None


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
    first = Payment.objects.filter(pk=payment.pk, checkout_url="").update(
        checkout_session_id=session.session_id, checkout_url=session.redirect_url[:500]
    )
    if not first:  # a parallel submit of this checkout got its page first: the reader goes there
        payment.checkout_session_id, payment.checkout_url = Payment.objects.values_list(
            "checkout_session_id", "checkout_url"
        ).get(pk=payment.pk)
        return payment.checkout_url
    payment.checkout_session_id, payment.checkout_url = session.session_id, session.redirect_url[:500]
    return session.redirect_url


def checkout_return(*, payment: Payment, at: datetime) -> Payment:
    """Ask the gateway how the reader's checkout went, and record it (once, whoever reports first).

    A payment the webhook has already settled is asked about again while its
    saved payment method is unknown: without it the plan could not renew.
    """
    if payment.refund_due:  # paid twice for the plan: give it back if nobody has yet
        return duplicates.duplicate_refund(payment_id=payment.pk, at=at)
    if payment.status in Payment.FINAL and not mandates.mandate_missing(payment):
        return payment
    payment = mandates.checkout_outcome_fetch(payment=payment, at=at)
    return duplicates.duplicate_refund(payment_id=payment.pk, at=at) if payment.refund_due else payment
