"""Paid access is continuous: from the first payment to the end of the last period paid for,
whenever each renewal is charged (early, late, after retries, in grace). Issue 9, defect 3."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.billing.entitlements import benefits_of, benefits_of_many
from broadsheet.billing.models import Payment, Subscription
from broadsheet.billing.payments.settlement import payment_create, payment_settle
from broadsheet.billing.renewals.run import renewal_run
from broadsheet.billing.rules.access import access_from, has_access
from broadsheet.billing.rules.lifecycle import (
    RETRY_DAYS,
    Event,
    Status,
    SubscriptionState,
    new_subscription,
    transition,
)
from broadsheet.billing.subscriptions.services import subscription_create_pending
from broadsheet.readers.devices import max_devices_for
from tests import factories as f
from tests.billing.test_renewals import END, T0, bought

HOUR, MINUTE = timedelta(hours=1), timedelta(minutes=1)

# One renewal: how it is paid. ("early", minutes before the end) is a charge ahead of time (the renewal
# lead, or a gateway renewing early); ("late", minutes after the end) a charge the scheduler made late;
# ("retry", failed attempts, minutes after the last one) a decline, retries, then a success in grace.
renewal = st.one_of(
    st.tuples(st.just("early"), st.integers(0, 72 * 60)),
    st.tuples(st.just("late"), st.integers(0, 23 * 60)),
    st.tuples(st.just("retry"), st.integers(0, len(RETRY_DAYS)), st.integers(0, 60)),
)


def _charges(
    state: SubscriptionState, period: int, how: tuple[object, ...]
) -> list[tuple[datetime, Event, SubscriptionState]]:
    """The events (time, event, state after) that pay `period`, starting from `state`."""
    end = state.period_end
    kind = how[0]
    if kind == "early":
        at = end - timedelta(minutes=int(how[1]))  # type: ignore[call-overload]
        return [(at, Event.RENEWAL_SUCCEEDED, transition(state, Event.RENEWAL_SUCCEEDED, now=at, period=period).state)]
    if kind == "late":
        at = end + timedelta(minutes=int(how[1]))  # type: ignore[call-overload]
        return [(at, Event.RENEWAL_SUCCEEDED, transition(state, Event.RENEWAL_SUCCEEDED, now=at, period=period).state)]
    failures, after = int(how[1]), timedelta(minutes=int(how[2]))  # type: ignore[call-overload]
    out: list[tuple[datetime, Event, SubscriptionState]] = []
    at = end
    for _ in range(failures + 1):  # the first attempt, then retries at their days
        state = transition(state, Event.RENEWAL_FAILED, now=at, period=period).state
        out.append((at, Event.RENEWAL_FAILED, state))
        if state.next_retry_at is None:
            break
        at = state.next_retry_at
    assert state.grace_ends_at is not None
    paid_at = min(at + after, state.grace_ends_at - MINUTE)
    out.append(
        (paid_at, Event.RENEWAL_SUCCEEDED, transition(state, Event.RENEWAL_SUCCEEDED, now=paid_at, period=period).state)
    )
    return out


@settings(max_examples=400, deadline=None)
@given(
    months=st.sampled_from([1, 3, 12]),
    extra_days=st.integers(0, 30),
    renewals=st.lists(renewal, max_size=8),
    probes=st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=6),
)
def test_no_instant_between_purchase_and_the_last_paid_end_is_locked(
    months: int, extra_days: int, renewals: list[tuple[object, ...]], probes: list[float]
) -> None:
    bought_at = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
    state = transition(
        new_subscription(plan_id=1, period_months=months, now=bought_at - HOUR),
        Event.PAYMENT_SUCCEEDED,
        now=bought_at,
        period=0,
        extra_days=extra_days,
    ).state
    timeline: list[tuple[datetime, SubscriptionState]] = [(bought_at, state)]
    for period, how in enumerate(renewals, start=1):
        for at, _event, after in _charges(state, period, how):
            timeline.append((at, after))
            state = after
    paid_until = state.period_end
    assert state.status is Status.ACTIVE and state.period == len(renewals)
    # Every state holds from its event until the next one (or, for the last, until the paid end). The
    # only instants without access are those nobody had paid for yet: after a period's end and before a
    # late charge (the scheduler was late; renewal_rules lets the pre-debit notice win over continuity).
    bounds = [at for at, _ in timeline[1:]] + [paid_until]
    for (start, held), stop in zip(timeline, bounds, strict=True):
        paid_through = held.grace_ends_at if held.status is Status.PAST_DUE else held.period_end
        assert paid_through is not None
        for instant in [start + (stop - start) * probe for probe in [0.0, *probes]] + [stop - MINUTE]:
            if start <= instant < min(stop, paid_through):
                assert has_access(held, instant), f"locked out at {instant} in {held.status} (period {held.period})"
    assert not has_access(state, paid_until)
    assert access_from(state) == bought_at


def test_an_early_renewal_keeps_the_rest_of_the_old_period() -> None:
    state = transition(
        new_subscription(plan_id=1, period_months=1, now=T0), Event.PAYMENT_SUCCEEDED, now=T0, period=0
    ).state
    renewed = transition(state, Event.RENEWAL_SUCCEEDED, now=END - HOUR, period=1).state
    assert renewed.period_start == END
    assert has_access(renewed, END - HOUR) and has_access(renewed, END - MINUTE) and has_access(renewed, END)


def test_a_renewal_told_before_the_first_payment_counts_the_first_period_as_paid() -> None:
    pending = new_subscription(plan_id=1, period_months=1, now=T0)
    state = transition(pending, Event.RENEWAL_SUCCEEDED, now=END + HOUR, period=1).state
    assert has_access(state, T0 + timedelta(days=3))


# --- on the database: the entitlements the paywall reads -------------------------------------------


@pytest.mark.django_db
def test_a_renewal_charged_an_hour_early_keeps_the_reader_reading_until_and_past_the_old_end() -> None:
    sub = bought()
    renewal_run(now=END - 48 * HOUR)  # the pre-debit notice
    summary = renewal_run(now=END - HOUR)  # the default lead: charged an hour before the end
    assert summary.charged == 1
    sub.refresh_from_db()
    assert sub.period == 1 and sub.status == Subscription.Status.ACTIVE
    for at in (END - HOUR, END - 30 * MINUTE, END - MINUTE, END, END + 10 * 24 * HOUR):
        assert "premium" in benefits_of(user_id=sub.user_id, at=at), at
        assert "premium" in benefits_of_many(user_ids=[sub.user_id], at=at)[sub.user_id], at
    plan_limit = sub.plan.max_devices
    assert max_devices_for(user_id=sub.user_id, at=END - 30 * MINUTE) == plan_limit


@pytest.mark.django_db
def test_a_gateway_renewal_reported_early_keeps_access_continuous() -> None:
    user = f.reader()
    plan = bought().plan
    sub = subscription_create_pending(user_id=user.pk, plan=plan, at=T0, gateway="test", buyer_state="Goa")
    first = payment_create(
        user_id=user.pk, plan=plan, kind=Payment.Kind.FIRST, amount_minor=plan.price_minor, at=T0, gateway="test",
        subscription_id=sub.pk,
    )  # fmt: skip
    payment_settle(payment_id=first.pk, outcome="succeeded", at=T0, actor="gateway:test", gateway_payment_id="pay_a")
    early = payment_create(
        user_id=user.pk, plan=plan, kind=Payment.Kind.RENEWAL, amount_minor=plan.price_minor, at=END - 3 * HOUR,
        gateway="test", subscription_id=sub.pk, period=1,
    )  # fmt: skip
    payment_settle(payment_id=early.pk, outcome="succeeded", at=END - 3 * HOUR, actor="gateway:test")
    assert "premium" in benefits_of(user_id=user.pk, at=END - 2 * HOUR)
