"""A second charge for one plan goes back to the reader, once.

One open checkout per reader and plan (billing/checkout.py) keeps a reader
from paying twice in the ordinary way; what is left is a gateway page of an
abandoned checkout paid after all (a second tab, a back button), or two
gateway sessions opened before the constraint existed. `settlement.payment_settle`
records such a payment without applying it and marks it `refund_due`; whoever
reported it (the return page, the webhook inbox) calls `duplicate_refund`
after commit, which refunds it in full through `refunds.refund_issue` (the
Refund row and its key are stored before the gateway is called, so a retry is
the same refund). A refund the gateway cannot make now stays due: the admin
lists such payments and `refund_issue` can be run again.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction

from broadsheet.billing.gateways.base import GatewayError
from broadsheet.billing.models import Payment
from broadsheet.billing.payments.refunds import RefundRefused, refund_issue, refundable_minor

log = logging.getLogger(__name__)

REASON = "Paid twice for the same plan: the second payment is refunded in full"


def duplicate_refund(*, payment_id: int, at: datetime) -> Payment:
    """Refund a payment marked refund_due (a no-op once refunded); returns it as it stands."""
    payment = Payment.objects.select_related("plan").get(pk=payment_id)
    if not payment.refund_due or refundable_minor(payment) == 0:
        return payment
    try:
        refund_issue(
            payment_id=payment.pk,
            amount_minor=refundable_minor(payment),
            reason=REASON,
            access_until=at,
            by_user_id=None,
            at=at,
            idempotency_key="paid-twice",
        )
    except (RefundRefused, GatewayError) as error:
        log.error("payment %s was paid twice and is not refunded yet: %s", payment.pk, error)
    return Payment.objects.select_related("plan").get(pk=payment_id)


def duplicate_refund_after_commit(payment: Payment, *, at: datetime) -> None:
    """`duplicate_refund` once the settling transaction has committed (at once outside one)."""
    if payment.refund_due:
        transaction.on_commit(lambda: duplicate_refund(payment_id=payment.pk, at=at))
