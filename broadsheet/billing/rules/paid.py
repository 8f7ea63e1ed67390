"""What a succeeded payment changes: the one set of rules for every paid event.

A payment is settled one at a time (`payments.settlement.payment_settle`) or,
for a renewal run's charges, many at a time (`payments.settle_many`). Both ask
`paid_outcome` what a paid payment does to its subscription, its offer, its
invoice and its mails, and differ only in how they write the answer (row by
row, or set-wise). Pure: no Django, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from broadsheet.billing.rules import lifecycle
from broadsheet.billing.rules.lifecycle import Event, IllegalTransition

FIRST, RENEWAL, PLAN_CHANGE, GIFT = "first", "renewal", "plan_change", "gift"  # Payment.Kind values
EVENTS = {FIRST: Event.PAYMENT_SUCCEEDED, RENEWAL: Event.RENEWAL_SUCCEEDED, PLAN_CHANGE: Event.PLAN_CHANGE_NOW}
PAID_TWICE = "Paid twice for a plan the reader holds: not applied, refunded."


@dataclass(frozen=True, slots=True)
class PaidPayment:
    """The facts of a succeeded payment that decide what it changes."""

    kind: str  # one of FIRST, RENEWAL, PLAN_CHANGE, GIFT
    label: str  # the kind as the ledger names it: "Renewal"
    period: int
    plan_id: int
    period_months: int
    amount_minor: int
    offer_days: int = 0  # an "extra days" offer's days
    trial_days: int = 0  # the plan's trial, for a reader's first subscription (first payments only)
    held_already: bool = False  # a first payment for a plan the reader holds through another subscription


@dataclass(frozen=True, slots=True)
class PaidOutcome:
    """What to write for a paid payment.

    `step` is the subscription's lifecycle step (None: the subscription is not
    touched). `message` is the payment's new message, if any; `refund_due` flags
    a payment never applied (paid twice) for its refund; `refused` is the
    lifecycle's refusal when the money is real but could not be applied (kept,
    invoiced, and flagged in the message for a refund).
    """

    step: lifecycle.Transition | None = None
    gift_paid: bool = False  # a gift: pending to paid, its code mailed
    refund_due: bool = False
    refused: str = ""
    message: str = ""
    confirm_offer: bool = True  # the offer's reserved use counts
    invoice: bool = False  # a tax invoice (for a positive amount)
    receipt: bool = True  # the receipt ("renewed" for a renewal)


def paid_outcome(
    paid: PaidPayment,
    state: lifecycle.SubscriptionState | None,
    *,
    now: datetime,
    actor: str,
    grace: timedelta,
    event_id: str = "",
) -> PaidOutcome:
    """What a succeeded payment changes; `state` is its subscription's (None for a gift)."""
    invoice = paid.amount_minor > 0
    if paid.kind == FIRST and paid.held_already:
        return PaidOutcome(refund_due=True, message=PAID_TWICE, confirm_offer=False, invoice=invoice, receipt=False)
    if paid.kind == GIFT:
        return PaidOutcome(gift_paid=True, invoice=invoice)
    assert state is not None, "a subscription's payment needs the subscription's state"
    event = EVENTS[paid.kind]
    change = event is Event.PLAN_CHANGE_NOW
    try:
        step = lifecycle.transition(
            state,
            event,
            now=now,
            reason=f"{paid.label} paid",
            actor=actor,
            event_id=event_id or None,
            period=None if change else paid.period,
            plan_id=paid.plan_id if change else None,
            period_months=paid.period_months if change else None,
            amount_minor=paid.amount_minor,
            grace=grace,
            extra_days=paid.offer_days + paid.trial_days if event is Event.PAYMENT_SUCCEEDED else 0,
        )
    except IllegalTransition as refused:
        return PaidOutcome(refused=str(refused), message=f"Not applied ({refused}); refund it."[:240], invoice=invoice)
    return PaidOutcome(step=step, invoice=invoice)
