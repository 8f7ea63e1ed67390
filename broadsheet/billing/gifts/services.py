"""Gift subscriptions: one reader pays for a plan, another redeems a code and holds its benefits.

The buyer's money and the recipient's access are two separate moments. Paying
moves the gift from pending to paid (``payments.settlement.payment_settle``, below
this package: it never calls back) and mails the recipient a code
(``notices.gift_paid_mails``); redeeming that code
creates the recipient's subscription, active from the moment of redemption for
one period of the plan and never renewing (a gift is not a mandate: the
recipient subscribes on their own afterwards if they wish).

Codes are random (``secrets``), four groups of four characters from an alphabet
without look-alikes (no 0/O, 1/I/L), so they survive being read aloud or typed
from a printed card.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse

from broadsheet.billing import conf, locks
from broadsheet.billing.gateways.base import CheckoutRequest
from broadsheet.billing.gateways.registry import get_gateway
from broadsheet.billing.models import Gift, Payment, Plan, Subscription
from broadsheet.billing.payments import settlement
from broadsheet.billing.rules.lifecycle import Event
from broadsheet.billing.subscriptions import services
from broadsheet.core.site import absolute
from broadsheet.readers.models import User

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS, CODE_GROUP_SIZE = 4, 4


class GiftRefused(ValueError):
    """A redemption that may not happen; `message` is what the reader is told."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- codes ---------------------------------------------------------------------------


def gift_code_new() -> str:
    """A fresh code such as "K7QX-M2PA-H9TR-C4WN" (about 79 bits of randomness)."""
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_SIZE)) for _ in range(CODE_GROUPS))
    return "-".join(groups)


def gift_code_normalise(raw: str) -> str:
    """What the reader typed, in the stored form: upper case, blanks and dashes ignored."""
    chars = "".join(ch for ch in raw.upper() if ch.isalnum())
    size = CODE_GROUP_SIZE
    return "-".join(chars[i : i + size] for i in range(0, len(chars), size))


# --- buying ----------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return absolute(path)


def gift_checkout_start(
    *,
    buyer: User,
    plan: Plan,
    recipient_email: str,
    recipient_name: str,
    message: str,
    buyer_name: str,
    buyer_state: str,
    at: datetime,
) -> tuple[Gift, str]:
    """Record a gift and its payment, then open the gateway's checkout; returns (gift, where to send the buyer).

    The payment row and its idempotency key are committed before the gateway is
    called, so a retried start reuses the same checkout session.
    """
    gateway = get_gateway()
    with transaction.atomic():
        gift = Gift.objects.create(
            buyer=buyer,
            plan=plan,
            recipient_email=recipient_email,
            recipient_name=recipient_name,
            message=message,
            buyer_name=buyer_name,
            buyer_state=buyer_state,
            code=gift_code_new(),
            created_at=at,
            redeem_by=at + timedelta(days=conf.gift_redeem_days()),
        )
        payment = _gift_payment_create(gift, gateway_name=gateway.name, at=at)
    session = gateway.start_checkout(_gift_checkout_request(gift, payment, buyer_email=buyer.email))
    Payment.objects.filter(pk=payment.pk).update(checkout_session_id=session.session_id)
    return gift, session.redirect_url


def _gift_payment_create(gift: Gift, *, gateway_name: str, at: datetime) -> Payment:
    """The gift's payment: the plan's list price, paid by the buyer, back on the gift's sent page."""
    return settlement.payment_create(
        user_id=gift.buyer_id,
        plan=gift.plan,
        kind=Payment.Kind.GIFT,
        amount_minor=gift.plan.price_minor,
        at=at,
        gateway=gateway_name,
        gift_id=gift.pk,
        subscription_id=None,
        return_path=reverse("gift_sent", args=[gift.pk]),
    )


def _gift_checkout_request(gift: Gift, payment: Payment, *, buyer_email: str) -> CheckoutRequest:
    plan = gift.plan
    return CheckoutRequest(
        idempotency_key=payment.idempotency_key,
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        customer_email=buyer_email,
        customer_name=gift.buyer_name,
        plan_code=plan.slug,
        description=f"Gift: {plan.name}, {plan.period_display}",
        return_url=_absolute(reverse("billing_return", args=[payment.pk])),  # then on to gift_sent
        cancel_url=_absolute(reverse("gift_buy", args=[plan.slug])),
        metadata={"payment_id": str(payment.pk), "gift_id": str(gift.pk), "kind": "gift"},
    )


# --- redeeming -------------------------------------------------------------------------

_REFUSALS = {
    Gift.Status.PENDING: "This gift has not been paid for yet. Please try again once the giver's payment is confirmed.",
    Gift.Status.REDEEMED: "This gift code has already been redeemed.",
    Gift.Status.REFUNDED: "This gift was refunded and can no longer be redeemed.",
}


def gift_redeem(*, code: str, user_id: int, at: datetime) -> Subscription:
    """Turn a paid gift into the reader's subscription, from now for one period, without renewal.

    The gift row is locked, so of two readers racing for one code exactly one
    wins; the other is told it is already redeemed. Raises GiftRefused.
    """
    normalised = gift_code_normalise(code)
    if not normalised:
        raise GiftRefused("Please enter your gift code.")
    with transaction.atomic():
        gift = locks.gift_lock(normalised)
        if gift is None:
            raise GiftRefused("We don't recognise that gift code. Please check it and try again.")
        if gift.status != Gift.Status.PAID:
            raise GiftRefused(_REFUSALS[Gift.Status(gift.status)])
        if at >= gift.redeem_by:
            raise GiftRefused(f"This gift code expired on {gift.redeem_by:%d %B %Y}.")
        sub = _gift_subscription(gift, user_id=user_id, at=at)
        gift.status = Gift.Status.REDEEMED
        gift.redeemed_by_id = user_id
        gift.redeemed_at = at
        gift.subscription = sub
        gift.save(update_fields=["status", "redeemed_by", "redeemed_at", "subscription"])
        return sub


def _gift_subscription(gift: Gift, *, user_id: int, at: datetime) -> Subscription:
    actor = f"user:{user_id}"
    sub = services.subscription_create_pending(
        user_id=user_id,
        plan=gift.plan,
        at=at,
        gateway="none",
        buyer_name=gift.buyer_name,
        buyer_state=gift.buyer_state,
        source=Subscription.Source.GIFT,
    )
    services.subscription_apply(
        subscription_id=sub.pk,
        event=Event.PAYMENT_SUCCEEDED,
        at=at,
        actor=actor,
        reason=f"gift {gift.pk} redeemed",
        period=0,
        amount_minor=0,  # the money was the buyer's, on the buyer's invoice
    )
    return services.subscription_apply(
        subscription_id=sub.pk, event=Event.CANCEL, at=at, actor=actor, reason="a gift is one period"
    )


# --- reads -----------------------------------------------------------------------------


def gifts_bought_by(*, user_id: int) -> list[Gift]:
    """The reader's gifts, newest first, for the account page."""
    return list(Gift.objects.filter(buyer_id=user_id).select_related("plan").order_by("-created_at", "-id")[:50])
