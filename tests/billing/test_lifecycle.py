"""The pure subscription lifecycle: table rows, guards, periods and random event sequences (no database)."""

from __future__ import annotations

import ast
import calendar
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.billing.rules import lifecycle
from broadsheet.billing.rules.access import has_access, proration_credit
from broadsheet.billing.rules.lifecycle import (
    DEFAULT_GRACE,
    RETRY_DAYS,
    TABLE,
    Event,
    IllegalTransition,
    Status,
    SubscriptionState,
    Transition,
    new_subscription,
    transition,
)

T0 = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def pending() -> SubscriptionState:
    return new_subscription(plan_id=1, period_months=1, now=T0)


def active() -> SubscriptionState:
    return transition(pending(), Event.PAYMENT_SUCCEEDED, now=T0, period=0).state


def past_due() -> SubscriptionState:
    state = active()
    return transition(state, Event.RENEWAL_FAILED, now=state.period_end, period=1).state


def expired() -> SubscriptionState:
    state = past_due()
    assert state.grace_ends_at is not None
    return transition(state, Event.GRACE_ENDED, now=state.grace_ends_at).state


STATES = {Status.PENDING: pending, Status.ACTIVE: active, Status.PAST_DUE: past_due, Status.EXPIRED: expired}


def row_input(status: Status, event: Event) -> tuple[SubscriptionState, dict[str, Any]]:
    """A state in `status` and the facts that make `event` legal there."""
    state = STATES[status]()
    kwargs: dict[str, Any] = {"now": T0 + DAY}
    if event in lifecycle.MONEY_EVENTS:  # a new period where it can be paid or failed, else a duplicate
        renewal = event in (Event.RENEWAL_SUCCEEDED, Event.RENEWAL_FAILED)
        new_period = status is not Status.EXPIRED and (status is Status.PENDING or renewal)
        kwargs["period"] = state.period + (2 if status is Status.PENDING and renewal else 1 if new_period else 0)
    if event is Event.RESUME and status is Status.ACTIVE:
        state = transition(state, Event.CANCEL, now=T0).state
    if event is Event.PERIOD_ENDED:
        state = transition(state, Event.CANCEL, now=T0).state
        kwargs["now"] = state.period_end
    if status is Status.PAST_DUE:
        kwargs["now"] = state.period_end + DAY
    if event is Event.GRACE_ENDED:
        kwargs["now"] = state.grace_ends_at
    if event in (Event.PLAN_CHANGE_NOW, Event.PLAN_CHANGE_AT_RENEWAL):
        kwargs.update(plan_id=2, period_months=3)
    if event in (Event.REFUND_FULL, Event.REFUND_PARTIAL):
        kwargs.update(amount_minor=90000, actor="staff:7")
    return state, kwargs


def test_lifecycle_module_is_pure() -> None:
    """No Django, no ORM, no broadsheet imports, no gateway SDK, and no clock read."""
    tree = ast.parse(Path(lifecycle.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in getattr(node, "names", [])
    }
    assert not any(name.startswith(("django", "broadsheet", "razorpay", "stripe")) for name in imported), imported
    assert imported <= {"__future__", "calendar", "collections.abc", "dataclasses", "datetime", "enum"}, imported
    clock_calls = [
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"now", "today", "utcnow", "time"}
    ]
    assert clock_calls == []


@pytest.mark.parametrize(("status", "event"), sorted(TABLE), ids=lambda v: str(v))
def test_every_table_row(status: Status, event: Event) -> None:
    state, kwargs = row_input(status, event)
    result = transition(state, event, **kwargs)
    assert result.state.status is TABLE[(status, event)]
    assert result.entry.what is event
    assert result.entry.from_status is status
    assert result.entry.to_status is result.state.status
    assert result.entry.at == kwargs["now"]
    if result.entry.noop:
        assert result.state == state


ILLEGAL = [(s, e) for s in Status for e in Event if (s, e) not in TABLE]


@pytest.mark.parametrize(("status", "event"), ILLEGAL, ids=lambda v: str(v))
def test_events_outside_the_table_raise_and_change_nothing(status: Status, event: Event) -> None:
    state = STATES[status]()
    before = state
    with pytest.raises(IllegalTransition):
        transition(state, event, now=T0 + DAY, period=state.period + 1, plan_id=2, period_months=3)
    assert state == before


def test_the_table_has_pending_active_past_due_expired_and_no_cancelled_status() -> None:
    assert {s.value for s in Status} == {"pending", "active", "past_due", "expired"}
    assert {to for to in TABLE.values()} == set(Status)


# --- periods -------------------------------------------------------------------------------


def test_a_31_january_subscription_renews_on_clamped_month_ends_without_drift() -> None:
    state = active()
    ends = [state.period_end]
    for n in range(1, 25):
        state = transition(state, Event.RENEWAL_SUCCEEDED, now=state.period_end, period=n).state
        ends.append(state.period_end)
        assert state.period_start == ends[-2]
    assert datetime(2028, 2, 29, 10, 0, tzinfo=UTC) in ends
    assert ends[0] == datetime(2026, 2, 28, 10, 0, tzinfo=UTC)
    assert ends[1] == datetime(2026, 3, 31, 10, 0, tzinfo=UTC)
    for end in ends:
        assert end.day == calendar.monthrange(end.year, end.month)[1]  # always the month's last day
    assert len(ends) == 25


@given(
    day=st.integers(1, 31),
    months=st.sampled_from([1, 3, 12, 24]),
    renewals=st.integers(1, 30),
)
def test_period_ends_always_come_from_the_anchor_day(day: int, months: int, renewals: int) -> None:
    bought = datetime(2027, 1, day, 6, 30, tzinfo=UTC)
    state = transition(
        new_subscription(plan_id=1, period_months=months, now=bought), Event.PAYMENT_SUCCEEDED, now=bought, period=0
    ).state
    for n in range(1, renewals + 1):
        previous_end = state.period_end
        state = transition(state, Event.RENEWAL_SUCCEEDED, now=previous_end, period=n).state
        assert state.period_start == previous_end
        end = state.period_end
        assert end.day == min(day, calendar.monthrange(end.year, end.month)[1])
        assert (end.year - 2027) * 12 + end.month - 1 == months * (n + 1)
        assert end.time() == bought.time()


# --- cancel, resume, period end ------------------------------------------------------------


def test_cancel_then_resume_before_period_end_restores_auto_renew() -> None:
    state = active()
    cancelled = transition(state, Event.CANCEL, now=T0 + DAY, actor="user:5", reason="too expensive").state
    assert cancelled.status is Status.ACTIVE and cancelled.auto_renew is False
    resumed = transition(cancelled, Event.RESUME, now=state.period_end - timedelta(seconds=1)).state
    assert resumed == state


def test_resume_after_period_end_raises() -> None:
    cancelled = transition(active(), Event.CANCEL, now=T0 + DAY).state
    with pytest.raises(IllegalTransition):
        transition(cancelled, Event.RESUME, now=cancelled.period_end)


def test_cancel_keeps_access_to_period_end_then_period_ended_expires() -> None:
    state = transition(active(), Event.CANCEL, now=T0 + DAY).state
    end = state.period_end
    assert has_access(state, end - timedelta(seconds=1))
    assert not has_access(state, end)
    with pytest.raises(IllegalTransition):
        transition(state, Event.PERIOD_ENDED, now=end - timedelta(seconds=1))
    done = transition(state, Event.PERIOD_ENDED, now=end, event_id="sched:1")
    assert done.state.status is Status.EXPIRED
    assert done.entry.event_id == "sched:1" and done.entry.to_status is Status.EXPIRED
    assert not has_access(done.state, end - DAY)


def test_period_ended_with_renewal_on_raises() -> None:
    state = active()
    with pytest.raises(IllegalTransition):
        transition(state, Event.PERIOD_ENDED, now=state.period_end)


# --- idempotency and out of order ----------------------------------------------------------


def test_a_duplicate_payment_is_a_noop_with_a_flagged_ledger_entry() -> None:
    state = active()
    again = transition(state, Event.PAYMENT_SUCCEEDED, now=T0 + DAY, period=0, event_id="pay_1")
    assert again.state == state
    assert again.entry.noop is True and again.entry.event_id == "pay_1"


def test_a_duplicate_renewal_is_a_noop() -> None:
    state = transition(active(), Event.RENEWAL_SUCCEEDED, now=T0 + 28 * DAY, period=1).state
    again = transition(state, Event.RENEWAL_SUCCEEDED, now=T0 + 29 * DAY, period=1)
    assert again.state == state and again.entry.noop


def test_money_events_need_their_period() -> None:
    with pytest.raises(IllegalTransition):
        transition(pending(), Event.PAYMENT_SUCCEEDED, now=T0)


def test_cancel_before_payment_activates_one_period_that_does_not_renew() -> None:
    state = transition(pending(), Event.CANCEL, now=T0).state
    assert state.status is Status.PENDING and not state.auto_renew
    paid = transition(state, Event.PAYMENT_SUCCEEDED, now=T0 + DAY, period=0).state
    assert paid.status is Status.ACTIVE and not paid.auto_renew
    assert has_access(paid, T0 + 2 * DAY)
    assert transition(paid, Event.PERIOD_ENDED, now=paid.period_end).state.status is Status.EXPIRED


def test_renewal_before_creation_activates_that_period_and_the_late_first_payment_is_a_noop() -> None:
    renewed = transition(pending(), Event.RENEWAL_SUCCEEDED, now=T0 + 30 * DAY, period=1).state
    assert renewed.status is Status.ACTIVE and renewed.period == 1
    assert renewed.period_start == datetime(2026, 2, 28, 10, 0, tzinfo=UTC)
    assert renewed.period_end == datetime(2026, 3, 31, 10, 0, tzinfo=UTC)
    late = transition(renewed, Event.PAYMENT_SUCCEEDED, now=T0 + 31 * DAY, period=0)
    assert late.state == renewed and late.entry.noop


def test_a_late_failure_for_a_paid_period_is_a_noop() -> None:
    state = transition(active(), Event.RENEWAL_SUCCEEDED, now=T0 + 28 * DAY, period=1).state
    late = transition(state, Event.RENEWAL_FAILED, now=T0 + 29 * DAY, period=1)
    assert late.state == state and late.entry.noop


def test_money_for_a_new_period_after_expiry_raises() -> None:
    with pytest.raises(IllegalTransition):
        transition(expired(), Event.RENEWAL_SUCCEEDED, now=T0 + 60 * DAY, period=1)


# --- retries and grace ---------------------------------------------------------------------


def test_failed_renewal_retries_on_days_1_3_7_then_expires_after_grace() -> None:
    state = active()
    end = state.period_end
    state = transition(state, Event.RENEWAL_FAILED, now=end, period=1).state
    assert state.status is Status.PAST_DUE
    assert state.grace_ends_at == end + DEFAULT_GRACE
    retries = []
    while state.next_retry_at is not None:
        retries.append(state.next_retry_at)
        assert has_access(state, state.next_retry_at)
        state = transition(state, Event.RENEWAL_DUE, now=state.next_retry_at).state
        state = transition(state, Event.RENEWAL_FAILED, now=retries[-1], period=1).state
    assert retries == [end + timedelta(days=d) for d in RETRY_DAYS]
    assert state.retry_count == len(RETRY_DAYS)
    with pytest.raises(IllegalTransition):
        transition(state, Event.RENEWAL_FAILED, now=end + 8 * DAY, period=1)
    with pytest.raises(IllegalTransition):
        transition(state, Event.GRACE_ENDED, now=end + DEFAULT_GRACE - DAY)
    assert not has_access(state, end + DEFAULT_GRACE)
    gone = transition(state, Event.GRACE_ENDED, now=end + DEFAULT_GRACE).state
    assert gone.status is Status.EXPIRED and not has_access(gone, end + DAY)


def test_grace_is_a_parameter() -> None:
    state = active()
    failed = transition(state, Event.RENEWAL_FAILED, now=state.period_end, period=1, grace=timedelta(days=3)).state
    assert failed.grace_ends_at == state.period_end + timedelta(days=3)


def test_a_successful_retry_returns_to_active_with_the_next_period() -> None:
    state = past_due()
    end = state.period_end
    ok = transition(state, Event.RENEWAL_SUCCEEDED, now=end + 3 * DAY, period=1).state
    assert ok.status is Status.ACTIVE and ok.period_start == end
    assert ok.retry_count == 0 and ok.next_retry_at is None and ok.grace_ends_at is None


def test_cancel_while_past_due_expires_at_once() -> None:
    state = past_due()
    gone = transition(state, Event.CANCEL, now=state.period_end + DAY).state
    assert gone.status is Status.EXPIRED and not has_access(gone, state.period_end + DAY)


# --- refunds -------------------------------------------------------------------------------


def test_a_full_refund_ends_access_now_by_default() -> None:
    now = T0 + 5 * DAY
    result = transition(active(), Event.REFUND_FULL, now=now, actor="staff:7", amount_minor=90000, reason="duplicate")
    assert result.entry.amount_minor == 90000 and result.entry.actor == "staff:7"
    assert not has_access(result.state, now) and not result.state.auto_renew
    assert transition(result.state, Event.PERIOD_ENDED, now=now).state.status is Status.EXPIRED


def test_a_partial_refund_ends_access_as_chosen() -> None:
    until = T0 + 10 * DAY
    state = transition(active(), Event.REFUND_PARTIAL, now=T0 + 5 * DAY, access_until=until, amount_minor=300).state
    assert has_access(state, until - timedelta(seconds=1))
    assert not has_access(state, until)
    with pytest.raises(IllegalTransition):
        transition(state, Event.RESUME, now=T0 + 6 * DAY)
    assert transition(state, Event.PERIOD_ENDED, now=until).state.status is Status.EXPIRED


# --- plan changes --------------------------------------------------------------------------


def test_plan_change_at_renewal_applies_on_the_next_renewal() -> None:
    state = transition(active(), Event.PLAN_CHANGE_AT_RENEWAL, now=T0 + DAY, plan_id=2, period_months=3).state
    assert state.plan_id == 1 and state.pending_plan_id == 2
    renewed = transition(state, Event.RENEWAL_SUCCEEDED, now=state.period_end, period=1).state
    assert renewed.plan_id == 2 and renewed.pending_plan_id is None
    assert renewed.period_start == state.period_end
    assert renewed.period_end == datetime(2026, 5, 31, 10, 0, tzinfo=UTC)  # still the 31st: same anchor


def test_plan_change_now_starts_a_new_period_and_credits_the_unused_part() -> None:
    state = active()
    now = state.period_start + (state.period_end - state.period_start) / 2
    assert proration_credit(state, price_minor=90000, now=now) == 45000
    changed = transition(state, Event.PLAN_CHANGE_NOW, now=now, plan_id=3, period_months=12).state
    assert changed.plan_id == 3 and changed.period_start == now
    assert changed.period_end == now.replace(year=now.year + 1)
    assert changed.period == state.period + 1


def test_plan_change_without_a_plan_raises() -> None:
    with pytest.raises(IllegalTransition):
        transition(active(), Event.PLAN_CHANGE_NOW, now=T0 + DAY)


# --- random sequences ----------------------------------------------------------------------

steps = st.lists(
    st.tuples(
        st.sampled_from(list(Event)),
        st.sampled_from(["hours", "days", "period_end", "retry", "grace"]),
        st.integers(-1, 2),  # which period a money event names, relative to the state's
        st.integers(1, 200),
    ),
    max_size=40,
)


def _when(state: SubscriptionState, now: datetime, kind: str, amount: int) -> datetime:
    target = {
        "hours": now + timedelta(hours=amount),
        "days": now + timedelta(days=amount % 40),
        "period_end": state.ends_at,
        "retry": state.next_retry_at or now,
        "grace": state.grace_ends_at or now,
    }[kind]
    return max(now, target)


@settings(max_examples=300, deadline=None)
@given(steps=steps, cancel_first=st.booleans())
def test_random_event_sequences_keep_the_invariants(
    steps: list[tuple[Event, str, int, int]], cancel_first: bool
) -> None:
    state = transition(pending(), Event.CANCEL, now=T0).state if cancel_first else pending()
    now = T0
    expired_at: datetime | None = None
    for event, kind, rel, amount in steps:
        now = _when(state, now, kind, amount)
        try:
            result: Transition = transition(
                state,
                event,
                now=now,
                period=state.period + rel,
                plan_id=2,
                period_months=(amount % 3) + 1,
                access_until=now + timedelta(days=amount % 5),
            )
        except IllegalTransition:
            continue
        new = result.state
        assert result.entry.from_status is state.status and result.entry.to_status is new.status
        assert new.retry_count <= len(RETRY_DAYS)
        assert new.period >= state.period
        if new.period > state.period and state.period >= 0:  # a new paid period: never overlapping the old one
            if event is Event.PLAN_CHANGE_NOW:
                assert new.period_start == now < state.period_end
            else:
                assert new.period_start >= state.period_end
        if expired_at is not None:
            assert new.status is Status.EXPIRED
        if new.status is Status.EXPIRED:
            expired_at = expired_at or now
            for later in (now, now + DAY, now + 400 * DAY):
                assert not has_access(new, later)
        if has_access(new, now):
            assert new.status in (Status.ACTIVE, Status.PAST_DUE)
        if result.entry.noop:
            assert new == state
        state = new
