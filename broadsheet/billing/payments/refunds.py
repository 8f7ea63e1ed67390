"""Refunds by staff: money back through the gateway, access cut as chosen, and a credit note, once.

The order is the one every gateway call follows here (STYLE habit 7):

1. In one transaction, with the payment row locked: check the amount against
   what is left to refund, and store the Refund row with its idempotency key.
2. Ask the gateway to refund, with that key (a retry with the same key is the
   same refund at the gateway, never a second one).
3. In one transaction: record the gateway's refund id, add the amount to
   `Payment.refunded_minor`, end the subscription's access through the
   lifecycle (REFUND_FULL or REFUND_PARTIAL) and issue the credit note.

A crash between 2 and 3 leaves a Refund without its gateway id; calling again
(same payment, same amount, or the same key) finishes that refund instead of
starting another. A gift's refund cancels the unredeemed code; a redeemed
gift's subscription is left alone (the recipient did nothing wrong).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Sum

from broadsheet.billing import locks
from broadsheet.billing.gateways.base import GatewayError, GatewayUnavailable
from broadsheet.billing.gateways.registry import get_gateway
from broadsheet.billing.invoices.services import credit_note_issue
from broadsheet.billing.models import Gift, Invoice, InvoiceSequence, Payment, Refund
from broadsheet.billing.rules.lifecycle import Event, IllegalTransition
from broadsheet.billing.subscriptions import services

log = logging.getLogger(__name__)


class RefundRefused(ValueError):
    """A refund that may not be made; nothing was changed. `message` is what staff are told."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def refundable_minor(payment: Payment) -> int:
    """What may still be refunded: the amount paid less every refund recorded or under way."""
    asked = Refund.objects.filter(payment=payment).aggregate(s=Sum("amount_minor"))["s"] or 0
    return max(payment.amount_minor - max(int(asked), payment.refunded_minor), 0)


def invoice_of(payment: Payment) -> Invoice | None:
    """The payment's tax invoice (issued under the gateway's payment id, or the key before it had one)."""
    refs = [ref for ref in (payment.gateway_payment_id, payment.idempotency_key) if ref]
    return Invoice.objects.filter(series=InvoiceSequence.Series.INVOICE, payment_ref__in=refs).first()


def refund_issue(
    *,
    payment_id: int,
    amount_minor: int,
    reason: str,
    access_until: datetime,
    by_user_id: int | None,
    at: datetime,
    idempotency_key: str = "",
) -> Refund:
    """Refund `amount_minor` paise of a payment; returns the Refund (the first one again for a repeat).

    `idempotency_key` (e.g. a token carried by the admin form) makes a resubmitted
    request the same refund; without one, an unfinished refund of the same
    amount is finished rather than doubled. Raises RefundRefused (nothing
    changed) or a GatewayError (the refund stays on record to be retried).
    """
    refund = _refund_record(
        payment_id=payment_id,
        amount_minor=amount_minor,
        reason=reason,
        access_until=access_until,
        by_user_id=by_user_id,
        at=at,
        token=idempotency_key,
    )
    if refund.gateway_refund_id:
        return refund
    payment = refund.payment
    try:
        gateway_refund_id = get_gateway(payment.gateway).refund(
            payment.gateway_payment_id, refund.amount_minor, refund.idempotency_key
        )
    except GatewayUnavailable:
        raise  # perhaps refunded at the gateway: keep the row, a retry finishes it with the same key
    except GatewayError:
        Refund.objects.filter(pk=refund.pk, gateway_refund_id="").delete()  # refused: no money moved
        raise
    return _refund_complete(refund_id=refund.pk, gateway_refund_id=gateway_refund_id, at=at)


def _refund_record(
    *,
    payment_id: int,
    amount_minor: int,
    reason: str,
    access_until: datetime,
    by_user_id: int | None,
    at: datetime,
    token: str,
) -> Refund:
    """Step 1: check and store the refund (or find the one this call repeats), committed before the gateway."""
    with transaction.atomic():
        payment = locks.payment_lock(payment_id)
        key = f"{payment.idempotency_key}-rf-{token}" if token else ""
        repeated = _repeated(payment, key=key, amount_minor=amount_minor)
        if repeated is not None:
            return repeated
        _check(payment, amount_minor=amount_minor, reason=reason)
        number = Refund.objects.filter(payment=payment).count() + 1
        return Refund.objects.create(
            payment=payment,
            amount_minor=amount_minor,
            idempotency_key=key or f"{payment.idempotency_key}-rf{number}",
            reason=reason.strip()[:240],
            access_until=access_until,
            by_id=by_user_id,
            created_at=at,
        )


def _repeated(payment: Payment, *, key: str, amount_minor: int) -> Refund | None:
    if key:
        earlier = Refund.objects.filter(idempotency_key=key).select_related("payment").first()
        if earlier is not None:
            return earlier
    unfinished = Refund.objects.filter(payment=payment, gateway_refund_id="").select_related("payment").first()
    if unfinished is None:
        return None
    if unfinished.amount_minor != amount_minor:
        raise RefundRefused(
            f"A refund of {unfinished.amount_minor} paise on this payment is not finished yet; retry that one first."
        )
    return unfinished


def _check(payment: Payment, *, amount_minor: int, reason: str) -> None:
    if payment.status != Payment.Status.SUCCEEDED:
        raise RefundRefused("Only a payment that succeeded can be refunded.")
    if not payment.gateway_payment_id:
        raise RefundRefused("This payment has no gateway payment id to refund against.")
    if type(amount_minor) is not int or amount_minor <= 0:
        raise RefundRefused("The amount to refund must be more than zero.")
    left = refundable_minor(payment)
    if amount_minor > left:
        raise RefundRefused(f"At most {left} paise of this payment can still be refunded, not {amount_minor}.")
    if not reason.strip():
        raise RefundRefused("Give a reason: it is printed on the credit note.")
    if invoice_of(payment) is None:
        raise RefundRefused("This payment has no tax invoice to credit.")


def _refund_complete(*, refund_id: int, gateway_refund_id: str, at: datetime) -> Refund:
    """Step 3: the gateway's id, the payment's refunded total, access and the credit note, together."""
    with transaction.atomic():
        refund = locks.refund_lock(refund_id)
        if refund.gateway_refund_id:  # a parallel retry finished it
            return refund
        payment = locks.payment_lock(refund.payment_id)
        refund.gateway_refund_id = gateway_refund_id
        refund.save(update_fields=["gateway_refund_id"])
        payment.refunded_minor += refund.amount_minor
        payment.save(update_fields=["refunded_minor"])
        full = payment.refunded_minor >= payment.amount_minor
        if payment.kind == Payment.Kind.GIFT:
            _gift_refunded(payment)
        else:
            _access_end(payment, refund, full=full, at=at)
        invoice = invoice_of(payment)
        assert invoice is not None  # checked before the gateway was called; invoices are never deleted
        credit_note_issue(
            invoice=invoice, amount_minor=refund.amount_minor, reason=refund.reason, at=at, refund_ref=gateway_refund_id
        )
        return refund


def _gift_refunded(payment: Payment) -> None:
    """An unredeemed gift's code stops working; a redeemed one keeps the recipient's period."""
    if payment.gift_id is None:
        return
    Gift.objects.filter(pk=payment.gift_id, status__in=[Gift.Status.PENDING, Gift.Status.PAID]).update(
        status=Gift.Status.REFUNDED
    )


def _access_end(payment: Payment, refund: Refund, *, full: bool, at: datetime) -> None:
    if payment.subscription_id is None:
        return
    try:
        services.subscription_apply(
            subscription_id=payment.subscription_id,
            event=Event.REFUND_FULL if full else Event.REFUND_PARTIAL,
            at=at,
            actor=f"staff:{refund.by_id}" if refund.by_id else "staff",
            reason=refund.reason,
            access_until=refund.access_until,
            amount_minor=refund.amount_minor,
        )
    except IllegalTransition as refused:  # e.g. a payment never applied: the money still goes back
        log.warning("refund %s: subscription %s unchanged: %s", refund.pk, payment.subscription_id, refused)
