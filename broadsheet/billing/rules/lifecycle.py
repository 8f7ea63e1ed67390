"""The subscription lifecycle, as a pure state machine.

Facts in, a Transition out: no Django, no database, no clock, no gateway SDK.
The caller loads the row into a `SubscriptionState`, calls `transition()` with
an explicit `now`, saves `Transition.state` and appends `Transition.entry` to
the ledger in the same database transaction.

    pending ──payment_succeeded──▶ active ──renewal_succeeded──▶ active
                                     │ renewal_failed
                                     ▼
                                  past_due ──renewal_succeeded──▶ active
                                     │ grace_ended (retries day 1, 3, 7 used up)
                                     ▼
                                  expired

Decisions recorded here, so nobody argues them again:

* The allowed `(status, event) → status` pairs are the one table `TABLE`.
  Anything else raises `IllegalTransition`; so do the few guards a row needs
  (e.g. `resume` after the period ended). Nothing changes when it raises.
* "Cancelled" is not a status: `cancel` turns `auto_renew` off on an active
  subscription, which keeps access to `period_end`; `period_ended` then expires
  it. `resume` before `period_end` turns renewal back on.
* Periods are counted from one anchor: period end = anchor + N months, clamped
  to the month's last day, so 31 Jan renews on 29 Feb and then on 31 Mar again
  (never drifting to the 29th).
* Idempotency: money events (`payment_*`, `renewal_*`) name the period they pay
  for (`period`, 0 for the first). An event for a period the state has already
  absorbed (`period <= state.period`) is a **no-op**: the same state comes back
  and the ledger entry has `noop=True` (it is still written, for the audit). So
  duplicates and late, out-of-order webhooks are harmless. A row names the
  status after a transition that changes something; a no-op keeps the status.
* Out of order: `cancel` before the first payment keeps the subscription
  pending with renewal off, and the payment then activates one period that will
  not renew. A renewal that arrives while still pending activates that period
  directly; the late first payment is then a no-op.
* Retries: the first failed renewal makes the subscription past_due; retries
  fall `RETRY_DAYS` (1, 3, 7) days after the period end; after the last, no
  retry is left and `grace_ended` (at `grace_ends_at`, period end + `grace`)
  expires it. Access continues during grace.
* Access is continuous: from the first payment (`access_from`) to the end of
  the last paid period, whenever a renewal is charged. An early renewal moves
  the period start to the old end without a gap before it (issue: the last
  hour of every period was lost), and grace keeps it going while past due.
* Refunds are staff actions. Full or partial is the money (`amount_minor`, on
  the ledger); access ends at `access_until` (default: now). Renewal stops. The
  status does not change at once: `access.has_access` is false from `access_until`,
  and the scheduler's `period_ended` / `grace_ended` then expires it.
* Offers of extra days: the first payment anchors the periods `extra_days`
  after it, and `started_at` keeps the moment access began, so the first
  period is longer by those days and every later one is counted as usual.
* Change of plan: **both**, chosen by the event. `plan_change_at_renewal`
  (downgrades; the default) records `pending_plan_id`, applied by the next
  successful renewal; no money moves now. `plan_change_now` (upgrades) starts a
  new period on the new plan at `now`; the caller charges the new price less
  `access.proration_credit()` for the unused part of the old period, and sends this
  event once that charge has succeeded.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

RETRY_DAYS: tuple[int, ...] = (1, 3, 7)
DEFAULT_GRACE = timedelta(days=10)


class Status(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    EXPIRED = "expired"


class Event(StrEnum):
    PAYMENT_SUCCEEDED = "payment_succeeded"
    PAYMENT_FAILED = "payment_failed"
    RENEWAL_DUE = "renewal_due"
    RENEWAL_SUCCEEDED = "renewal_succeeded"
    RENEWAL_FAILED = "renewal_failed"
    CANCEL = "cancel"
    RESUME = "resume"
    PERIOD_ENDED = "period_ended"
    GRACE_ENDED = "grace_ended"
    REFUND_FULL = "refund_full"
    REFUND_PARTIAL = "refund_partial"
    PLAN_CHANGE_NOW = "plan_change_now"
    PLAN_CHANGE_AT_RENEWAL = "plan_change_at_renewal"


P, A, D, X = Status.PENDING, Status.ACTIVE, Status.PAST_DUE, Status.EXPIRED

# The whole state machine: (status, event) → status after a change.
TABLE: dict[tuple[Status, Event], Status] = {
    (P, Event.PAYMENT_SUCCEEDED): A,
    (P, Event.PAYMENT_FAILED): P,
    (P, Event.RENEWAL_SUCCEEDED): A,  # out of order: the renewal's webhook came first
    (P, Event.CANCEL): P,  # out of order: cancelled before paying; renewal off
    (P, Event.RESUME): P,
    (A, Event.PAYMENT_SUCCEEDED): A,  # duplicate: always a no-op
    (A, Event.PAYMENT_FAILED): A,  # late failure of an attempt already paid: no-op
    (A, Event.RENEWAL_DUE): A,
    (A, Event.RENEWAL_SUCCEEDED): A,
    (A, Event.RENEWAL_FAILED): D,
    (A, Event.CANCEL): A,
    (A, Event.RESUME): A,
    (A, Event.PERIOD_ENDED): X,
    (A, Event.REFUND_FULL): A,
    (A, Event.REFUND_PARTIAL): A,
    (A, Event.PLAN_CHANGE_NOW): A,
    (A, Event.PLAN_CHANGE_AT_RENEWAL): A,
    (D, Event.PAYMENT_SUCCEEDED): D,  # a duplicate only: a new period is paid by renewal_succeeded
    (D, Event.PAYMENT_FAILED): D,  # a duplicate only
    (D, Event.RENEWAL_DUE): D,  # a retry is being attempted
    (D, Event.RENEWAL_SUCCEEDED): A,
    (D, Event.RENEWAL_FAILED): D,
    (D, Event.CANCEL): X,  # the paid period is over: cancelling ends it
    (D, Event.GRACE_ENDED): X,
    (D, Event.REFUND_FULL): D,
    (D, Event.REFUND_PARTIAL): D,
    (X, Event.PAYMENT_SUCCEEDED): X,  # stale only; money for a new period raises
    (X, Event.PAYMENT_FAILED): X,
    (X, Event.RENEWAL_SUCCEEDED): X,  # stale only
    (X, Event.RENEWAL_FAILED): X,  # stale only
    (X, Event.CANCEL): X,  # a second click: no-op
    (X, Event.REFUND_FULL): X,
    (X, Event.REFUND_PARTIAL): X,
}
MONEY_EVENTS = frozenset({Event.PAYMENT_SUCCEEDED, Event.PAYMENT_FAILED, Event.RENEWAL_SUCCEEDED, Event.RENEWAL_FAILED})


class IllegalTransition(Exception):
    def __init__(self, status: Status, event: Event, why: str = "not in the table") -> None:
        super().__init__(f"{event} is not allowed in {status}: {why}")
        self.status = status
        self.event = event


@dataclass(frozen=True, slots=True)
class SubscriptionState:
    status: Status
    plan_id: int
    period_months: int
    anchor: datetime  # period ends are counted from here, never from the previous end
    offset_months: int = 0  # months from anchor to the current period's start
    period: int = -1  # the last period paid for; -1 while pending
    auto_renew: bool = True
    pending_plan_id: int | None = None
    pending_period_months: int | None = None
    retry_count: int = 0
    next_retry_at: datetime | None = None
    grace_ends_at: datetime | None = None
    access_ends_at: datetime | None = None  # set by a refund
    started_at: datetime | None = None  # first access; before the anchor when an offer gave extra days

    @property
    def period_start(self) -> datetime:
        return _add_months(self.anchor, self.offset_months)

    @property
    def period_end(self) -> datetime:
        return _add_months(self.anchor, self.offset_months + self.period_months)

    @property
    def ends_at(self) -> datetime:
        """When `period_ended` may be sent: the period end, or earlier after a refund."""
        if self.access_ends_at is not None:
            return min(self.access_ends_at, self.period_end)
        return self.period_end


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    what: Event
    from_status: Status
    to_status: Status
    at: datetime
    reason: str
    actor: str | None  # a staff user or the reader, e.g. "user:42"
    event_id: str | None  # the gateway's or scheduler's event id
    period: int | None = None
    amount_minor: int | None = None
    noop: bool = False  # the state did not change: a duplicate, a stale event or a mere record


@dataclass(frozen=True, slots=True)
class Transition:
    state: SubscriptionState
    entry: LedgerEntry


@dataclass(frozen=True, slots=True)
class _Facts:
    now: datetime
    period: int | None
    plan_id: int | None
    period_months: int | None
    access_until: datetime | None
    grace: timedelta
    extra_days: int


def new_subscription(*, plan_id: int, period_months: int, now: datetime) -> SubscriptionState:
    """A pending subscription created at checkout."""
    return SubscriptionState(status=Status.PENDING, plan_id=plan_id, period_months=period_months, anchor=now)


def transition(
    state: SubscriptionState,
    event: Event,
    *,
    now: datetime,
    reason: str = "",
    actor: str | None = None,
    event_id: str | None = None,
    period: int | None = None,
    plan_id: int | None = None,
    period_months: int | None = None,
    access_until: datetime | None = None,
    amount_minor: int | None = None,
    grace: timedelta = DEFAULT_GRACE,
    extra_days: int = 0,
) -> Transition:
    """Apply one event; raise IllegalTransition if the table (or a row's guard) forbids it."""
    to = TABLE.get((state.status, event))
    if to is None:
        raise IllegalTransition(state.status, event)
    if extra_days < 0:
        raise IllegalTransition(state.status, event, "extra days are never negative")
    facts = _Facts(now, period, plan_id, period_months, access_until, grace, extra_days)
    new = _stale_or_none(state, event, facts)
    if new is None:
        new = _EFFECTS[event](state, facts)
        new = replace(new, status=to)
    noop = new == state
    entry = LedgerEntry(
        what=event,
        from_status=state.status,
        to_status=new.status,
        at=now,
        reason=reason,
        actor=actor,
        event_id=event_id,
        period=period,
        amount_minor=amount_minor,
        noop=noop,
    )
    return Transition(state=new, entry=entry)


# --- effects: one small function per event ----------------------------------------------


def _stale_or_none(state: SubscriptionState, event: Event, facts: _Facts) -> SubscriptionState | None:
    """The same state back for a money event the state has already absorbed."""
    if event not in MONEY_EVENTS:
        return None
    if facts.period is None:
        raise IllegalTransition(state.status, event, "a money event needs its period")
    if facts.period <= state.period:
        return state
    if event is Event.PAYMENT_SUCCEEDED and state.status is not Status.PENDING:
        raise IllegalTransition(state.status, event, "a new period is paid by renewal_succeeded")
    if state.status is Status.EXPIRED:
        raise IllegalTransition(state.status, event, "money for a new period after expiry: refund it")
    return None


def _require(ok: bool, state: SubscriptionState, event: Event, why: str) -> None:
    if not ok:
        raise IllegalTransition(state.status, event, why)


def _advance(state: SubscriptionState, to_period: int) -> SubscriptionState:
    """Move to period `to_period`, applying a pending plan change from the first new period."""
    offset = state.offset_months
    months = state.period_months
    if state.period >= 0:  # the current period is paid: the next one starts at its end
        offset += months
        steps = to_period - state.period - 1
    else:
        steps = to_period
    plan_id = state.plan_id
    if state.pending_plan_id is not None and state.pending_period_months is not None:
        plan_id, months = state.pending_plan_id, state.pending_period_months
    return replace(
        state,
        plan_id=plan_id,
        period_months=months,
        offset_months=offset + steps * months,
        period=to_period,
        pending_plan_id=None,
        pending_period_months=None,
        retry_count=0,
        next_retry_at=None,
        grace_ends_at=None,
    )


def _payment_succeeded(state: SubscriptionState, facts: _Facts) -> SubscriptionState:
    assert facts.period is not None
    if facts.period == 0:  # the first period starts when it is paid for; extra days push its end out
        state = replace(
            state, anchor=facts.now + timedelta(days=facts.extra_days), offset_months=0, started_at=facts.now
        )
    return _advance(state, facts.period)


def _renewal_succeeded(state: SubscriptionState, facts: _Facts) -> SubscriptionState:
    assert facts.period is not None
    _require(state.auto_renew or state.status is Status.PENDING, state, Event.RENEWAL_SUCCEEDED, "renewal is off")
    if state.status is Status.PENDING and state.started_at is None:  # the first payment was made, told late
        state = replace(state, started_at=state.anchor)
    return _advance(state, facts.period)


def _payment_failed(state: SubscriptionState, facts: _Facts) -> SubscriptionState:
    return state


def _renewal_due(state: SubscriptionState, facts: _Facts) -> SubscriptionState:
    _require(state.auto_renew, state, Event.RENEWAL_DUE, "renewal is off")
    return state


def _renewal_failed(state: SubscriptionState, facts: _Facts) -> SubscriptionState:
    _require(state.auto_renew, state, Event.RENEWAL_FAILED, "renewal is off")
    end = state.period_end
    if state.status is Status.ACTIVE:
        count = 0
        grace_ends_at = end + facts.grace
    else:
        _require(state.retry_count < len(RETRY_DAYS), state, Event.RENEWAL_FAILED, "no retry left")
        count = state.retry_count + 1
        grace_ends_at = state.grace_ends_at or end + facts.grace
    next_retry_at = end + timedelta(days=RETRY_DAYS[count]) if count < len(RETRY_DAYS) else None
    return replace(state, retry_count=count, next_retry_at=next_retry_at, grace_ends_at=grace_ends_at)


def _cancel(state: SubscriptionState, facts: _Facts) -> SubscriptionState:
    if state.status is Status.PAST_DUE:
        return replace(state, auto_renew=False, next_retry_at=None, grace_ends_at=None, access_ends_at=facts.now)
    return replace(state, auto_renew=False)


def _resume(state: SubscriptionState, facts: _Facts) -> SubscriptionState:
    if state.status is Status.ACTIVE:
        _require(facts.now < state.period_end, state, Event.RESUME, "the period has ended")
        _require(state.access_ends_at is None, state, Event.RESUME, "refunded")
    return replace(state, auto_renew=True)


def _period_ended(state: SubscriptionState, facts: _Facts) -> SubscriptionState:
    ended_early = state.access_ends_at is not None
    _require(not state.auto_renew or ended_early, state, Event.PERIOD_ENDED, "renewal is on: renew or fail")
    _require(facts.now >= state.ends_at, state, Event.PERIOD_ENDED, "the period has not ended")
    return replace(state, auto_renew=False, pending_plan_id=None, pending_period_months=None)


def _grace_ended(state: SubscriptionState, facts: _Facts) -> SubscriptionState:
    assert state.grace_ends_at is not None
    _require(facts.now >= state.grace_ends_at, state, Event.GRACE_ENDED, "grace has not ended")
    return replace(state, auto_renew=False, next_retry_at=None)


def _refund(state: SubscriptionState, facts: _Facts) -> SubscriptionState:
    until = facts.now if facts.access_until is None else facts.access_until
    if state.access_ends_at is not None:
        until = min(until, state.access_ends_at)
    return replace(
        state,
        auto_renew=False,
        pending_plan_id=None,
        pending_period_months=None,
        next_retry_at=None,
        access_ends_at=until,
    )


def _plan_facts(state: SubscriptionState, event: Event, facts: _Facts) -> tuple[int, int]:
    _require(
        facts.plan_id is not None and facts.period_months is not None and facts.period_months > 0,
        state,
        event,
        "a plan change needs plan_id and period_months",
    )
    assert facts.plan_id is not None and facts.period_months is not None
    _require(state.access_ends_at is None, state, event, "refunded")
    return facts.plan_id, facts.period_months


def _plan_change_now(state: SubscriptionState, facts: _Facts) -> SubscriptionState:
    plan_id, months = _plan_facts(state, Event.PLAN_CHANGE_NOW, facts)
    _require(facts.now < state.period_end, state, Event.PLAN_CHANGE_NOW, "the period has ended")
    return replace(
        state,
        plan_id=plan_id,
        period_months=months,
        anchor=facts.now,
        offset_months=0,
        started_at=facts.now,
        period=state.period + 1,
        pending_plan_id=None,
        pending_period_months=None,
    )


def _plan_change_at_renewal(state: SubscriptionState, facts: _Facts) -> SubscriptionState:
    plan_id, months = _plan_facts(state, Event.PLAN_CHANGE_AT_RENEWAL, facts)
    if plan_id == state.plan_id and months == state.period_months:  # back to the current plan
        return replace(state, pending_plan_id=None, pending_period_months=None)
    return replace(state, pending_plan_id=plan_id, pending_period_months=months)


_EFFECTS: dict[Event, Callable[[SubscriptionState, _Facts], SubscriptionState]] = {
    Event.PAYMENT_SUCCEEDED: _payment_succeeded,
    Event.PAYMENT_FAILED: _payment_failed,
    Event.RENEWAL_DUE: _renewal_due,
    Event.RENEWAL_SUCCEEDED: _renewal_succeeded,
    Event.RENEWAL_FAILED: _renewal_failed,
    Event.CANCEL: _cancel,
    Event.RESUME: _resume,
    Event.PERIOD_ENDED: _period_ended,
    Event.GRACE_ENDED: _grace_ended,
    Event.REFUND_FULL: _refund,
    Event.REFUND_PARTIAL: _refund,
    Event.PLAN_CHANGE_NOW: _plan_change_now,
    Event.PLAN_CHANGE_AT_RENEWAL: _plan_change_at_renewal,
}


def _add_months(at: datetime, months: int) -> datetime:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 → 29 Feb 2028)."""
    month_index = at.month - 1 + months
    year = at.year + month_index // 12
    month = month_index % 12 + 1
    day = min(at.day, calendar.monthrange(year, month)[1])
    return at.replace(year=year, month=month, day=day)
