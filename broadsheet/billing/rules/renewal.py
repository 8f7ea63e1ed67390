"""What the renewal run should do with one subscription, as a pure decision.

Facts in, an `Action` out: no Django, no database, no clock. `billing.renewals`
gathers the facts for a batch of rows, asks `decide()` for each, and acts.

The rules (docs/renewals.md says the same for operators):

* **Pre-debit notice.** An auto-renewing subscription that we charge ourselves
  (a mandate on a charge-mode gateway) is mailed the amount, the date and how
  to cancel once `now >= due - notice_before`, where `due` is the period end.
  India's e-mandate rules ask for at least 24 hours, so the window is never
  shorter than `MIN_NOTICE`.
* **Charge.** Only once the notice for that period went out at least
  `min_notice` earlier, and from `due - lead` on, so access does not lapse while
  the scheduler catches up. A late notice therefore delays the charge (and may
  leave a gap in access): the notice rule wins over continuity.
* **Retry.** A past-due subscription is charged again from its `next_retry_at`
  (the lifecycle puts them 1, 3 and 7 days after the period end). The failure
  notice of the previous attempt names that date and amount, so it is the
  retry's pre-debit notice.
* **Expiry.** Renewal off (cancelled, or a refund's early end) and the paid
  time over: `period_ended`. Past due with the grace over: `grace_ended`.
* Subscriptions renewed by gateway webhooks (Stripe or Razorpay subscriptions)
  are never charged here, and neither is one without a mandate: the run leaves
  them alone and their access ends with `access_until`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

MIN_NOTICE = timedelta(hours=24)


class Action(StrEnum):
    NOTHING = "nothing"
    NOTICE = "notice"  # send the pre-debit notice for the next period
    CHARGE = "charge"  # charge the next period (a renewal)
    RETRY = "retry"  # charge a past-due period again
    END_PERIOD = "end_period"  # lifecycle period_ended
    END_GRACE = "end_grace"  # lifecycle grace_ended


@dataclass(frozen=True, slots=True)
class Policy:
    notice_before: timedelta = timedelta(hours=48)
    min_notice: timedelta = MIN_NOTICE
    lead: timedelta = timedelta(minutes=60)

    @classmethod
    def clamped(cls, *, notice_hours: int, min_notice_hours: int, lead_minutes: int) -> Policy:
        """A policy from settings, never below the 24 hours of notice the e-mandate rules require."""
        min_notice = max(timedelta(hours=min_notice_hours), MIN_NOTICE)
        notice_before = max(timedelta(hours=notice_hours), min_notice)
        return cls(
            notice_before=notice_before, min_notice=min_notice, lead=max(timedelta(minutes=lead_minutes), timedelta(0))
        )


@dataclass(frozen=True, slots=True)
class Facts:
    status: str  # "pending", "active", "past_due", "expired"
    auto_renew: bool
    chargeable: bool  # we charge it ourselves: a mandate on a charge-mode gateway, no gateway subscription
    period_end: datetime  # current_period_end
    access_ends_at: datetime | None = None  # a refund's end of access
    next_retry_at: datetime | None = None
    grace_ends_at: datetime | None = None
    notice_sent_at: datetime | None = None  # the pre-debit notice for the next period, if sent


def can_renew(*, mandate_ref: str, gateway_ref: str) -> bool:
    """Whether anything will pay the next period: a saved method we charge, or the gateway's own subscription.

    Without either (a checkout whose saved method was never reported, a staff
    grant without a mandate) the run sends no pre-debit notice and charges
    nothing, and the account page says the plan ends instead of promising a
    charge.
    """
    return bool(mandate_ref) or bool(gateway_ref)


def due_at(facts: Facts) -> datetime:
    """When the next period must be paid: the end of the current one.

    (A plan's trial days are paid for with the first period at checkout, so a
    pending subscription is never charged here: see services.trial_days_for.)
    """
    return facts.period_end


def charge_at(facts: Facts, policy: Policy) -> datetime:
    """The scheduled charge time, which fixes the price (the actual charge is never earlier)."""
    return due_at(facts) - policy.lead


def decide(facts: Facts, policy: Policy, now: datetime) -> Action:
    """The one thing to do now (the next run does the next thing)."""
    if facts.status == "active":
        return _decide_active(facts, policy, now)
    if facts.status == "past_due":
        return _decide_past_due(facts, now)
    return Action.NOTHING


def _decide_active(facts: Facts, policy: Policy, now: datetime) -> Action:
    if facts.access_ends_at is not None:  # refunded: renewal is off and access ends early
        return Action.END_PERIOD if now >= min(facts.access_ends_at, facts.period_end) else Action.NOTHING
    if not facts.auto_renew:
        return Action.END_PERIOD if now >= facts.period_end else Action.NOTHING
    if not facts.chargeable:
        return Action.NOTHING
    return _notice_or_charge(facts, policy, now)


def _notice_or_charge(facts: Facts, policy: Policy, now: datetime) -> Action:
    due = due_at(facts)
    if facts.notice_sent_at is None:
        return Action.NOTICE if now >= due - policy.notice_before else Action.NOTHING
    if now >= facts.notice_sent_at + policy.min_notice and now >= due - policy.lead:
        return Action.CHARGE
    return Action.NOTHING


def _decide_past_due(facts: Facts, now: datetime) -> Action:
    if facts.grace_ends_at is not None and now >= facts.grace_ends_at:
        return Action.END_GRACE
    if facts.auto_renew and facts.chargeable and facts.next_retry_at is not None and now >= facts.next_retry_at:
        return Action.RETRY
    return Action.NOTHING


def attempt_of(*, status: str, retry_count: int) -> int:
    """The attempt number of the next charge of a period, part of its idempotency key.

    The first try is 0; after the first decline (retry_count 0, past due) the
    first retry is 1, and so on. It depends only on the row's state, which a
    crash between charge and record leaves unchanged, so a re-run reuses the
    key (and the gateway answers from its books); a recorded decline moves the
    state on, so the retry gets a new key.
    """
    return retry_count + (1 if status == "past_due" else 0)
