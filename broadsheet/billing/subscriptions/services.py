"""Writes to subscriptions: every change of their lifecycle state goes through here.

`subscription_apply` is the one writer of lifecycle state: it locks the row,
runs the pure `lifecycle.transition`, saves the new state and appends the
ledger entry in one transaction. Payments reach it through
`payments.settlement.payment_settle`.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction

from broadsheet.billing import conf, locks
from broadsheet.billing.models import LedgerEntry, Plan, Subscription
from broadsheet.billing.rules import access, lifecycle
from broadsheet.billing.rules.lifecycle import Event

log = logging.getLogger(__name__)


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
    "access_from",
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
    sub.current_period_start = access.first_access(state)
    sub.current_period_end = state.period_end
    sub.access_from = access.access_from(state)
    sub.access_until = access.access_until(state)


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
        sub = locks.subscription_lock(subscription_id)
        months = Plan.objects.values_list("period_months", flat=True).get(pk=plan_id) if plan_id is not None else None
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
            grace=conf.grace_period(),
            extra_days=extra_days,
        )
        subscription_write(sub, result)
        return sub


def subscription_write(sub: Subscription, step: lifecycle.Transition) -> None:
    """Save a lifecycle step of a locked row: its new state (unless a no-op) and its ledger entry."""
    if not step.entry.noop:
        _write_state(sub, step.state)
    ledger_row(sub, step.entry).save()


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
            mandate_remember(sub.pk, mandate_ref=mandate_ref, customer_ref=f"cust_{user_id}")
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


def mandate_remember(subscription_id: int, *, mandate_ref: str, customer_ref: str) -> None:
    """The saved payment method renewals charge, recorded once: a reference already known is kept.

    A subscription the gateway renews itself (it has a gateway_ref) is charged by no mandate of ours.
    """
    for field, value in (("mandate_ref", mandate_ref), ("customer_ref", customer_ref)):
        if value:
            rows = Subscription.objects.filter(pk=subscription_id, gateway_ref="", **{field: ""})
            rows.update(**{field: value[:120]})


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
