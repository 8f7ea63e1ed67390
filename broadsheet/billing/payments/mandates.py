"""The saved payment method of a checkout, recorded whichever report of the payment comes first.

A first payment is told to us twice: by the gateway's webhook and by the
reader's return from checkout (or Razorpay Checkout's handler). Either may win
the race, and not every report names the card, token or mandate that renewals
charge later (a Stripe `checkout.session.completed` names only the customer;
Razorpay's handler names only the payment). So after any report that leaves a
paid checkout without a saved method, we ask the gateway for the checkout's
outcome (`fetch_checkout`), which names it; `settlement.payment_settle` records
the method once and settles nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime

from broadsheet.billing.gateways.base import GatewayError
from broadsheet.billing.gateways.registry import get_gateway
from broadsheet.billing.models import Payment, Subscription
from broadsheet.billing.payments import settlement

log = logging.getLogger(__name__)

SAVES_A_METHOD = (Payment.Kind.FIRST, Payment.Kind.PLAN_CHANGE)


def mandate_missing(payment: Payment) -> bool:
    """A paid checkout whose subscription has neither a saved method nor a gateway subscription to renew it."""
    if payment.status != Payment.Status.SUCCEEDED or payment.kind not in SAVES_A_METHOD:
        return False
    if payment.subscription_id is None or not payment.checkout_session_id or payment.amount_minor == 0:
        return False
    return Subscription.objects.filter(pk=payment.subscription_id, mandate_ref="", gateway_ref="").exists()


def checkout_outcome_fetch(*, payment: Payment, at: datetime) -> Payment:
    """Ask the gateway how a checkout went and record it: the outcome once, the saved method if new.

    A gateway that cannot answer now changes nothing (its webhook, or the
    reader's return, asks again).
    """
    fetch = getattr(get_gateway(payment.gateway), "fetch_checkout", None)
    if fetch is None or not payment.checkout_session_id:
        return payment
    try:
        outcome = fetch(payment.checkout_session_id)
    except GatewayError as error:
        log.warning("checkout %s of payment %s: the gateway did not answer (%s)", payment.gateway, payment.pk, error)
        return payment
    if outcome.status is None:
        return payment
    return settlement.payment_settle(
        payment_id=payment.pk,
        outcome=outcome.status.value,
        at=at,
        actor=f"gateway:{payment.gateway}",
        gateway_payment_id=outcome.payment_id,
        message=outcome.message,
        mandate_ref=outcome.mandate_ref,
        customer_ref=outcome.customer_ref,
    )
