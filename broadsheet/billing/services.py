"""Writes to subscriptions and payments: every change of their state goes through here.

`subscription_apply` is the one writer of lifecycle state: it locks the row,
runs the pure `lifecycle.transition`, saves the new state and appends the
ledger entry in one transaction. `payment_settle` is the one place a payment's
outcome is recorded, from whichever channel brings it first (the reader's
return from checkout, a webhook, the renewal task): it is idempotent, so the
others find nothing left to do.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import F

from broadsheet.billing import lifecycle, notices
from broadsheet.billing.invoices import invoice_issue
from broadsheet.billing.lifecycle import Event, IllegalTransition
from broadsheet.billing.models import LedgerEntry, Offer, OfferRedemption, Payment, Plan, Subscription
from broadsheet.core.money import period_label

log = logging.getLogger(__name__)

Outcome = Literal["succeeded", "pending", "declined", "abandoned"]
SUCCEEDED, PENDING = Payment.Status.SUCCEEDED.value, Payment.Status.PENDING.value
FINAL_FAILURES = (Payment.Status.DECLINED.value, Payment.Status.ABANDONED.value)


# --- lifecycle state <-> row -----------------------------------------------------


def state_of(sub: Subscription) -> lifecycle.SubscriptionState:
    """The pure lifecycle state of a row (its plan and pending plan loaded)."""
    return lifecycle.SubscriptionState(
        status=lifecycle.Status(sub.status),
        plan_id=sub.plan_id,
        period_months=sub.months,
        anchor=sub.anchor or sub.current_period_start,
        offset_months=sub.offset_months,
        period=sub.period,
        auto_renew=sub.auto_renew,
        pending_plan_id=sub.pending_plan_id,
        pending_period_months=sub.pending_plan.period_months if sub.pending_plan is not None else None,
        retry_count=sub.retry_count,
        next_retry_at=sub.next_retry_at,
        grace_ends_at=sub.grace_ends_at,
        access_ends_at=sub.access_ends_at,
        started_at=sub.started_at,
    )


def _write_state(sub: Subscription, state: lifecycle.SubscriptionState) -> None:
    """Copy a state onto the row, with the derived columns readers use, and save it."""
    copy_state(sub, state)
    sub.save()


STATE_COLUMNS = (
    "status",
    "plan",
    "period_months",
    "anchor",
    "offset_months",
    "period",
    "auto_renew",
    "pending_plan",
    "retry_count",
    "next_retry_at",
    "grace_ends_at",
    "access_ends_at",
    "started_at",
    "current_period_start",
    "current_period_end",
    "access_until",
)  # what `copy_state` sets: the columns a set-based write updates


def copy_state(sub: Subscription, state: lifecycle.SubscriptionState) -> None:
    """Copy a state onto the row (not saved), with the derived columns readers use; both write paths use it."""
    sub.status = state.status.value
    sub.plan_id = state.plan_id
    sub.period_months = state.period_months
    sub.anchor = state.anchor
    sub.offset_months = state.offset_months
    sub.period = state.period
    sub.auto_renew = state.auto_renew
    sub.pending_plan_id = state.pending_plan_id
    sub.retry_count = state.retry_count
    sub.next_retry_at = state.next_retry_at
    sub.grace_ends_at = state.grace_ends_at
    sub.access_ends_at = state.access_ends_at
    sub.started_at = state.started_at
    sub.current_period_start = lifecycle.first_access(state)
    sub.current_period_end = state.period_end
    sub.access_until = lifecycle.access_until(state)


def _locked(subscription_id: int) -> Subscription:
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to pending_plan.
    return (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("plan", "pending_plan")
        .get(pk=subscription_id)
    )


def subscription_apply(
    *,
    subscription_id: int,
    event: Event,
    at: datetime,
    actor: str,
    reason: str = "",
    event_id: str = "",
    period: int | None = None,
    plan_id: int | None = None,
    access_until: datetime | None = None,
    amount_minor: int | None = None,
    extra_days: int = 0,
) -> Subscription:
    """Apply one lifecycle event to a subscription and append it to the ledger, atomically.

    Raises IllegalTransition (and changes nothing) when the state machine refuses.
    """
    with transaction.atomic():
        sub = _locked(subscription_id)
        months = None
        if plan_id is not None:
            months = Plan.objects.values_list("period_months", flat=True).get(pk=plan_id)
        result = lifecycle.transition(
            state_of(sub),
            event,
            now=at,
            reason=reason,
            actor=actor,
            event_id=event_id or None,
            period=period,
            plan_id=plan_id,
            period_months=months,
            access_until=access_until,
            amount_minor=amount_minor,
            grace=grace_period(),
            extra_days=extra_days,
        )
        if not result.entry.noop:
            _write_state(sub, result.state)
        _ledger_append(sub, result.entry)
        return sub


def _ledger_append(sub: Subscription, entry: lifecycle.LedgerEntry) -> None:
    ledger_row(sub, entry).save()


def ledger_row(sub: Subscription, entry: lifecycle.LedgerEntry) -> LedgerEntry:
    return LedgerEntry(
        subscription=sub,
        what=entry.what.value,
        from_status=entry.from_status.value,
        to_status=entry.to_status.value,
        at=entry.at,
        reason=entry.reason[:240],
        actor=(entry.actor or "")[:80],
        event_id=(entry.event_id or "")[:160],
        period=entry.period,
        amount_minor=entry.amount_minor,
        noop=entry.noop,
    )


def grace_period() -> timedelta:
    return timedelta(days=int(getattr(settings, "BROADSHEET_GRACE_DAYS", lifecycle.DEFAULT_GRACE.days)))


# --- creating subscriptions and payments ----------------------------------------------


def subscription_create_pending(
    *,
    user_id: int,
    plan: Plan,
    at: datetime,
    gateway: str,
    buyer_name: str = "",
    buyer_state: str = "",
    source: str = Subscription.Source.PURCHASE,
) -> Subscription:
    """A subscription waiting for its first payment (created at checkout, or for a gift)."""
    state = lifecycle.new_subscription(plan_id=plan.pk, period_months=plan.period_months, now=at)
    sub = Subscription(
        user_id=user_id,
        plan=plan,
        source=source,
        gateway=gateway,
        buyer_name=buyer_name,
        buyer_state=buyer_state,
        currency=plan.currency,
    )
    _write_state(sub, state)
    return sub


def subscription_grant(
    *,
    user_id: int,
    plan: Plan,
    start: datetime,
    auto_renew: bool = True,
    actor: str = "staff",
    gateway: str = "none",
    mandate_ref: str = "",
) -> Subscription:
    """Staff grant: an active subscription for one period of the plan from `start`, no money taken.

    With a gateway and a mandate it renews like a bought one (the demo subscriber does).
    """
    with transaction.atomic():
        sub = subscription_create_pending(
            user_id=user_id, plan=plan, at=start, gateway=gateway, source=Subscription.Source.STAFF
        )
        if mandate_ref:
            _remember_mandate(sub.pk, mandate_ref=mandate_ref, customer_ref=f"cust_{user_id}")
        sub = subscription_apply(
            subscription_id=sub.pk,
            event=Event.PAYMENT_SUCCEEDED,
            at=start,
            actor=actor,
            reason="granted by staff",
            period=0,
            amount_minor=0,
        )
        if not auto_renew:
            sub = subscription_apply(
                subscription_id=sub.pk, event=Event.CANCEL, at=start, actor=actor, reason="granted without renewal"
            )
        return sub


def idempotency_key(*, kind: str, owner: str, period: int, attempt: int) -> str:
    """One key per (subscription or gift, period, attempt): a retried call can never charge twice."""
    prefix = str(getattr(settings, "BROADSHEET_IDEMPOTENCY_PREFIX", "bs"))
    return f"{prefix}-{owner}-{kind}-p{period}-a{attempt}"


@dataclass(frozen=True, slots=True)
class NewPayment:
    """What a payment row is made of (`payment_create` takes the same, one by one)."""

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


def payment_create(
    *,
    user_id: int,
    plan: Plan,
    kind: str,
    amount_minor: int,
    at: datetime,
    gateway: str,
    subscription_id: int | None = None,
    gift_id: int | None = None,
    period: int = 0,
    attempt: int = 0,
    list_price_minor: int | None = None,
    discount_minor: int = 0,
    offer_id: int | None = None,
    return_path: str = "",
) -> Payment:
    """The payment row and its idempotency key, committed before any gateway call.

    Creating it again for the same (owner, kind, period, attempt) returns the first row.
    """
    new = NewPayment(
        user_id=user_id,
        plan=plan,
        kind=kind,
        amount_minor=amount_minor,
        at=at,
        gateway=gateway,
        subscription_id=subscription_id,
        gift_id=gift_id,
        period=period,
        attempt=attempt,
        list_price_minor=list_price_minor,
        discount_minor=discount_minor,
        offer_id=offer_id,
        return_path=return_path,
    )
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
    already succeeded is never settled again, whoever reports it next.
    """
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("plan").get(pk=payment_id)
        if payment.status == Payment.Status.SUCCEEDED:
            return payment
        if outcome == payment.status and outcome != PENDING:
            return payment
        payment.gateway_payment_id = gateway_payment_id or payment.gateway_payment_id
        payment.message = message[:240]
        payment.status = outcome
        if outcome in Payment.FINAL:
            payment.settled_at = at
        payment.save()
        if payment.subscription_id is not None and (mandate_ref or customer_ref):
            _remember_mandate(payment.subscription_id, mandate_ref=mandate_ref, customer_ref=customer_ref)
        if outcome == SUCCEEDED:
            _on_paid(payment, at=at, actor=actor, event_id=event_id)
        elif outcome in FINAL_FAILURES:
            _on_declined(payment, at=at, actor=actor, event_id=event_id)
        return payment


def _remember_mandate(subscription_id: int, *, mandate_ref: str, customer_ref: str) -> None:
    fields = {k: v for k, v in (("mandate_ref", mandate_ref), ("customer_ref", customer_ref)) if v}
    Subscription.objects.filter(pk=subscription_id).update(**fields)


def _payment_event(payment: Payment) -> Event:
    return {
        Payment.Kind.FIRST: Event.PAYMENT_SUCCEEDED,
        Payment.Kind.RENEWAL: Event.RENEWAL_SUCCEEDED,
        Payment.Kind.PLAN_CHANGE: Event.PLAN_CHANGE_NOW,
    }[Payment.Kind(payment.kind)]


def _on_paid(payment: Payment, *, at: datetime, actor: str, event_id: str) -> None:
    if payment.kind == Payment.Kind.GIFT:
        from broadsheet.billing.gifts import gift_mark_paid

        assert payment.gift_id is not None
        gift_mark_paid(gift_id=payment.gift_id, at=at)
    else:
        assert payment.subscription_id is not None
        event = _payment_event(payment)
        extra_days = payment.offer.value if payment.offer and payment.offer.kind == "extra_days" else 0
        if payment.kind == Payment.Kind.FIRST:
            extra_days += trial_days_for(
                user_id=payment.user_id, plan=payment.plan, subscription_id=payment.subscription_id
            )
        try:
            subscription_apply(
                subscription_id=payment.subscription_id,
                event=event,
                at=at,
                actor=actor,
                reason=f"{payment.get_kind_display()} paid",
                event_id=event_id,
                period=None if event is Event.PLAN_CHANGE_NOW else payment.period,
                plan_id=payment.plan_id if event is Event.PLAN_CHANGE_NOW else None,
                amount_minor=payment.amount_minor,
                extra_days=extra_days if event is Event.PAYMENT_SUCCEEDED else 0,
            )
        except IllegalTransition as refused:
            # The money is real: keep it on record, invoice it, and flag it for a refund.
            log.error("payment %s succeeded but was not applied: %s", payment.pk, refused)
            Payment.objects.filter(pk=payment.pk).update(message=f"Not applied ({refused}); refund it."[:240])
    _confirm_offer(payment)
    if payment.amount_minor > 0:
        _invoice(payment, at=at)
    notices.receipt_after_commit(payment_id=payment.pk)


def trial_days_for(*, user_id: int, plan: Plan, subscription_id: int | None) -> int:
    """A plan's free trial days, for a reader's first subscription only.

    The trial is paid for up front like any first period and adds its days
    before the first period's end; access is never given before a payment (an
    abandoned checkout reads nothing). A reader who has held a subscription
    before gets no second trial.
    """
    if not plan.trial_days:
        return 0
    earlier = Subscription.objects.filter(user_id=user_id, started_at__isnull=False)
    if subscription_id is not None:
        earlier = earlier.exclude(pk=subscription_id)
    return 0 if earlier.exists() else int(plan.trial_days)


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
    sub, gift, user = payment.subscription, payment.gift, payment.user
    buyer = sub or gift
    buyer_name = (buyer.buyer_name if buyer else "") or getattr(user, "display_name", "") or user.email
    invoice_issue(
        user_id=payment.user_id,
        payment_ref=payment.gateway_payment_id or payment.idempotency_key,
        total_minor=payment.amount_minor,
        description=invoice_description(payment),
        buyer_name=buyer_name,
        buyer_state=buyer.buyer_state if buyer else "",
        at=at,
        subscription_id=payment.subscription_id,
    )


def invoice_description(payment: Payment) -> str:
    what = "Gift subscription" if payment.kind == Payment.Kind.GIFT else "Digital subscription"
    return f"{what}: {payment.plan.name}, {period_label(payment.plan.period_months)}"
