"""What a subscription's state grants: whether it opens the plan's benefits now, from when
and until when its paid access runs, and the unused part of a period.

Pure, as the lifecycle it reads: no Django, no database, no clock (every answer is for an
explicit `now`). The lifecycle changes the state; this module only reads it.
"""

from __future__ import annotations

from datetime import datetime

from broadsheet.billing.rules.lifecycle import Status, SubscriptionState


def has_access(state: SubscriptionState, now: datetime) -> bool:
    """Whether the subscription grants its plan's benefits at `now`."""
    if state.access_ends_at is not None and now >= state.access_ends_at:
        return False
    if state.status is Status.ACTIVE:
        return access_from(state) <= now < state.period_end
    if state.status is Status.PAST_DUE:
        return access_from(state) <= now and state.grace_ends_at is not None and now < state.grace_ends_at
    return False


def access_from(state: SubscriptionState) -> datetime:
    """When the reader's paid access began, continuous through every renewal since.

    Paid access runs from the first payment to the end of the last period paid
    for, without a gap: a renewal charged before the old period ends (the
    renewal lead) moves the period start to the old end, but the reader paid
    for the time in between too, so access never waits for a period to start.
    A change of plan now starts again from its payment (`started_at`).
    """
    if state.started_at is not None:
        return min(state.started_at, state.period_start)
    return state.period_start


def first_access(state: SubscriptionState) -> datetime:
    """When the current access began: the period start, or earlier for a first period with extra days."""
    if state.started_at is not None and state.offset_months == 0:
        return min(state.started_at, state.period_start)
    return state.period_start


def access_until(state: SubscriptionState) -> datetime | None:
    """When access ends if nothing else happens (for readers that must not run the lifecycle), or None."""
    if state.status is Status.ACTIVE:
        end: datetime | None = state.period_end
    elif state.status is Status.PAST_DUE:
        end = state.grace_ends_at
    else:
        return None
    if end is not None and state.access_ends_at is not None:
        end = min(end, state.access_ends_at)
    return end


def proration_credit(state: SubscriptionState, *, price_minor: int, now: datetime) -> int:
    """The unused part of the current period's price at `now`, floored to whole paise."""
    start, end = state.period_start, state.period_end
    if now >= end or state.status is not Status.ACTIVE:
        return 0
    used_from = max(now, start)
    return price_minor * int((end - used_from).total_seconds()) // int((end - start).total_seconds())
