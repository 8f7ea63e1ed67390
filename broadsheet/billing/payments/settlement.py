"""Writes to payments: creating them, and recording their outcome.

`payment_settle` is the one place a payment's outcome is recorded, from
whichever channel brings it first (the reader's return from checkout, a
webhook, the renewal task): it is idempotent, so the others find nothing left
to do. What a paid payment changes is decided by
`rules.paid.paid_outcome` (as for `settle_many`'s set-wise path) and written
here: a subscription's step through `subscriptions.services.subscription_write`,
a gift moved from pending to paid (its code mailed by `notices.gift_paid_mails`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.db.models import F

from broadsheet.billing import conf, locks, notices
from broadsheet.billing.invoices.services import InvoiceRequest, Supply, invoice_issue
from broadsheet.billing.models import Gift, Offer, OfferRedemption, Payment, Plan, Subscription
from broadsheet.billing.rules import paid
from broadsheet.billing.rules.lifecycle import Event, IllegalTransition
from broadsheet.billing.subscriptions.services import (
    mandate_remember,
    state_of,
    subscription_apply,
    subscription_write,
    trial_days_for,
)
from broadsheet.core.money import period_label

log = logging.getLogger(__name__)

Outcome = Literal["succeeded", "pending", "declined", "abandoned"]
SUCCEEDED, PENDING = Payment.Status.SUCCEEDED.value, Payment.Status.PENDING.value
FINAL_FAILURES = (Payment.Status.DECLINED.value, Payment.Status.ABANDONED.value)


def idempotency_key(*, kind: str, owner: str, period: int, attempt: int) -> str:
    """One key per (subscription or gift, period, attempt): a retried call can never charge twice."""
    prefix = conf.idempotency_prefix()
    return f"{prefix}-{owner}-{kind}-p{period}-a{attempt}"


@dataclass(frozen=True, slots=True, kw_only=True)
class NewPayment:
    """What a payment row is made of: `payment_create` takes these fields, `payments_create_many` these rows."""

    user_id: int
    plan: Plan
    kind: str
    amount_minor: int
    at: datetime
    gateway: str
    subscription_id: int | None = None
    gift_id: int | None = None
    period: int = 0
    attempt: int = 0
    list_price_minor: int | None = None
    discount_minor: int = 0
    offer_id: int | None = None
    return_path: str = ""

    def key(self) -> str:
        owner = f"sub{self.subscription_id}" if self.subscription_id is not None else f"gift{self.gift_id}"
        return idempotency_key(kind=self.kind, owner=owner, period=self.period, attempt=self.attempt)

    def row(self) -> Payment:
        return Payment(idempotency_key=self.key(), **self.defaults())

    def defaults(self) -> dict[str, Any]:
        listed = self.amount_minor + self.discount_minor if self.list_price_minor is None else self.list_price_minor
        return {
            "user_id": self.user_id,
            "plan": self.plan,
            "kind": self.kind,
            "subscription_id": self.subscription_id,
            "gift_id": self.gift_id,
            "period": self.period,
            "attempt": self.attempt,
            "gateway": self.gateway,
            "amount_minor": self.amount_minor,
            "list_price_minor": listed,
            "discount_minor": self.discount_minor,
            "currency": self.plan.currency,
            "offer_id": self.offer_id,
            "created_at": self.at,
            "return_path": self.return_path,
        }


def takes_fields_of[**P, T, R](make: Callable[P, T]) -> Callable[[Callable[[T], R]], Callable[P, R]]:
    """`fn(value)` called as `fn(**fields)`: the fields are written once, in the dataclass `make` builds."""

    def wrap(fn: Callable[[T], R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            return fn(make(*args, **kwargs))

        return call

    return wrap


@takes_fields_of(NewPayment)
def payment_create(new: NewPayment) -> Payment:
    """The payment row and its idempotency key, committed before any gateway call; called with `NewPayment`'s fields.

    Creating it again for the same (owner, kind, period, attempt) returns the first row.
    """
    payment, _ = Payment.objects.get_or_create(idempotency_key=new.key(), defaults=new.defaults())
    return payment


def payments_create_many(*, payments: Sequence[NewPayment]) -> list[Payment]:
    """`payment_create` for many rows in two statements: the new rows inserted, then all of them read.

    INSERT … ON CONFLICT DO NOTHING keeps the rows that exist (same key: same
    owner, period and attempt) as they are, whatever their status. Returned in
    the order asked, with their plans.
    """
    rows = [new.row() for new in payments]
    Payment.objects.bulk_create(rows, ignore_conflicts=True)
    keys = [row.idempotency_key for row in rows]
    found = Payment.objects.select_related("plan").in_bulk(keys, field_name="idempotency_key")
    return [found[key] for key in keys]


# --- recording outcomes ---------------------------------------------------------------


def payment_settle(
    *,
    payment_id: int,
    outcome: Outcome,
    at: datetime,
    actor: str,
    gateway_payment_id: str = "",
    message: str = "",
    event_id: str = "",
    mandate_ref: str = "",
    customer_ref: str = "",
) -> Payment:
    """Record what the gateway said about a payment, and act on it, once.

    Succeeded: the lifecycle moves (first payment, renewal or change of plan),
    the tax invoice is issued and the offer's use confirmed, all in one
    transaction; the receipt is mailed after commit. Declined: the lifecycle
    records the failure (a failed renewal starts the retries). A payment
    already succeeded is never settled again, whoever reports it next; but the
    saved payment method a later report brings is still recorded (the first
    report, often the webhook, may not carry it), so the plan can renew.
    """
    with transaction.atomic():
        payment = locks.payment_lock(payment_id, "plan")
        if payment.subscription_id is not None and outcome == SUCCEEDED and (mandate_ref or customer_ref):
            mandate_remember(payment.subscription_id, mandate_ref=mandate_ref, customer_ref=customer_ref)
        if not _outcome_record(payment, outcome, at=at, gateway_payment_id=gateway_payment_id, message=message):
            return payment
        if outcome == SUCCEEDED:
            _on_paid(payment, at=at, actor=actor, event_id=event_id)
        elif outcome in FINAL_FAILURES:
            _on_declined(payment, at=at, actor=actor, event_id=event_id)
        return payment


def _outcome_record(payment: Payment, outcome: Outcome, *, at: datetime, gateway_payment_id: str, message: str) -> bool:
    """Save the outcome on the locked row; False (nothing saved) when there is nothing new to record.

    A succeeded payment is final; the same outcome again is nothing new, except
    "pending", which may bring the gateway's reference.
    """
    if payment.status == Payment.Status.SUCCEEDED:
        return False
    if outcome == payment.status and outcome != PENDING:
        return False
    payment.gateway_payment_id = gateway_payment_id or payment.gateway_payment_id
    payment.message = message[:240]
    payment.status = outcome
    if outcome in Payment.FINAL:
        payment.settled_at = at
    payment.save()
    return True


def paid_facts(payment: Payment, *, held_already: bool = False, trial_days: int = 0) -> paid.PaidPayment:
    """The facts `paid.paid_outcome` decides on, from a payment row (its plan and any offer loaded)."""
    offer = payment.offer if payment.offer_id is not None else None
    return paid.PaidPayment(
        kind=payment.kind,
        label=payment.get_kind_display(),
        period=payment.period,
        plan_id=payment.plan_id,
        period_months=payment.plan.period_months,
        amount_minor=payment.amount_minor,
        offer_days=offer.value if offer is not None and offer.kind == "extra_days" else 0,
        trial_days=trial_days,
        held_already=held_already,
    )


def _on_paid(payment: Payment, *, at: datetime, actor: str, event_id: str) -> None:
    """Ask the rules what the payment changes, and write it: the subscription, the gift, the offer, invoice, receipt."""
    first = payment.kind == Payment.Kind.FIRST
    held = first and plan_already_held(payment, at=at)
    sub = None
    if payment.kind != Payment.Kind.GIFT and not held:
        assert payment.subscription_id is not None
        sub = locks.subscription_lock(payment.subscription_id)
    trial = 0
    if first and not held:
        trial = trial_days_for(user_id=payment.user_id, plan=payment.plan, subscription_id=payment.subscription_id)
    facts = paid_facts(payment, held_already=held, trial_days=trial)
    outcome = paid.paid_outcome(
        facts, None if sub is None else state_of(sub), now=at, actor=actor, grace=conf.grace_period(), event_id=event_id
    )
    _write_paid(payment, outcome, sub, at=at)


def _write_paid(payment: Payment, outcome: paid.PaidOutcome, sub: Subscription | None, *, at: datetime) -> None:
    if outcome.step is not None:
        assert sub is not None
        subscription_write(sub, outcome.step)
    if outcome.gift_paid:
        assert payment.gift_id is not None
        gift_mark_paid(gift_id=payment.gift_id)
    if outcome.refused:
        # The money is real: keep it on record, invoice it, and flag it for a refund.
        log.error("payment %s succeeded but was not applied: %s", payment.pk, outcome.refused)
        Payment.objects.filter(pk=payment.pk).update(message=outcome.message)
    if outcome.refund_due:
        _on_paid_twice(payment, message=outcome.message)
    if outcome.confirm_offer:
        _confirm_offer(payment)
    if outcome.invoice:
        _invoice(payment, at=at)
    if outcome.receipt:
        notices.receipt_after_commit(payment_id=payment.pk)


def gift_mark_paid(*, gift_id: int) -> bool:
    """Pending to paid, once (a conditional update); the code is mailed after commit. False if already done."""
    moved = Gift.objects.filter(pk=gift_id, status=Gift.Status.PENDING).update(status=Gift.Status.PAID)
    if moved:
        transaction.on_commit(lambda: notices.gift_paid_mails(gift_id=gift_id), robust=True)
    return bool(moved)


def plan_already_held(payment: Payment, *, at: datetime) -> bool:
    """A first payment for a plan the reader already holds through another subscription: paid twice."""
    others = Subscription.objects.filter(user_id=payment.user_id, plan_id=payment.plan_id, access_until__gt=at)
    if payment.subscription_id is not None:
        others = others.exclude(pk=payment.subscription_id)
    return others.exclude(status=Subscription.Status.PENDING).exists()


def _on_paid_twice(payment: Payment, *, message: str) -> None:
    """A second charge for one plan (an abandoned checkout paid after all, a second tab): never applied.

    The money is on record and invoiced, so that its refund carries a credit
    note; `refund_due` tells `duplicates.duplicate_refund` (called by whoever
    reported the payment, after commit) to give it back, and the return page to
    tell the reader. The offer's use stays with the payment that counts.
    """
    log.warning("payment %s pays again for plan %s the reader holds: refund due", payment.pk, payment.plan_id)
    OfferRedemption.objects.filter(payment=payment, status=OfferRedemption.Status.RESERVED).update(
        status=OfferRedemption.Status.RELEASED
    )
    Payment.objects.filter(pk=payment.pk).update(refund_due=True, message=message)
    payment.refund_due, payment.message = True, message


def _on_declined(payment: Payment, *, at: datetime, actor: str, event_id: str) -> None:
    OfferRedemption.objects.filter(payment=payment, status=OfferRedemption.Status.RESERVED).update(
        status=OfferRedemption.Status.RELEASED
    )
    if payment.subscription_id is None or payment.kind == Payment.Kind.PLAN_CHANGE:
        return
    event = Event.RENEWAL_FAILED if payment.kind == Payment.Kind.RENEWAL else Event.PAYMENT_FAILED
    try:
        subscription_apply(
            subscription_id=payment.subscription_id,
            event=event,
            at=at,
            actor=actor,
            reason=payment.message or "declined",
            event_id=event_id,
            period=payment.period,
            amount_minor=payment.amount_minor,
        )
    except IllegalTransition as refused:  # e.g. renewal turned off meanwhile: nothing to retry
        log.info("decline of payment %s not applied: %s", payment.pk, refused)


def _confirm_offer(payment: Payment) -> None:
    confirmed = OfferRedemption.objects.filter(payment=payment).exclude(status=OfferRedemption.Status.CONFIRMED)
    if payment.offer_id is not None and confirmed.update(status=OfferRedemption.Status.CONFIRMED):
        Offer.objects.filter(pk=payment.offer_id).update(used=F("used") + 1)


def _invoice(payment: Payment, *, at: datetime) -> None:
    service = (
        Subscription.objects.filter(pk=payment.subscription_id)
        .values_list("current_period_start", "current_period_end")
        .first()
        if payment.subscription_id and payment.kind != Payment.Kind.GIFT
        else None
    )
    req = invoice_request(payment, buyer=payment.subscription or payment.gift, service=service)
    invoice_issue(
        user_id=req.user_id,
        payment_ref=req.payment_ref,
        total_minor=req.total_minor,
        description=req.description,
        buyer_name=req.buyer_name,
        buyer_state=req.buyer_state,
        at=at,
        subscription_id=req.subscription_id,
        supply=req.supply,
    )


def invoice_request(
    payment: Payment, *, buyer: Subscription | Gift | None, service: tuple[datetime, datetime] | None
) -> InvoiceRequest:
    """What a paid payment's tax invoice says, whichever path settles it; `service` is the period paid for."""
    user = payment.user
    return InvoiceRequest(
        user_id=payment.user_id,
        payment_ref=payment.gateway_payment_id or payment.idempotency_key,
        total_minor=payment.amount_minor,
        description=invoice_description(payment),
        buyer_name=(buyer.buyer_name if buyer else "") or getattr(user, "display_name", "") or user.email,
        buyer_state=buyer.buyer_state if buyer else "",
        buyer_email=user.email,
        subscription_id=payment.subscription_id,
        supply=Supply(
            discount_minor=payment.discount_minor,
            offer_code=payment.offer.code if payment.offer_id and payment.offer else "",
            service_from=service[0] if service else None,
            service_until=service[1] if service else None,
        ),
    )


def invoice_description(payment: Payment) -> str:
    what = "Gift subscription" if payment.kind == Payment.Kind.GIFT else "Digital subscription"
    return f"{what}: {payment.plan.name}, {period_label(payment.plan.period_months)}"
