"""Changing a plan's price: new purchases pay it at once, renewals only after a notice period.

`plan_price_change` is the one writer (the plan admin calls it): it records a
PlanPriceChange whose `renewals_from` is the announcement plus
BROADSHEET_PRICE_CHANGE_NOTICE_DAYS, sets the plan's price (what checkout
charges), and after commit has every auto-renewing subscriber of the plan
mailed once (`price_change_notify`, run as a task so a large list does not hold
the admin's request). What a renewal then pays is `pricing.renewal_price`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.tasks import task

from broadsheet.billing import conf, locks, notices
from broadsheet.billing.models import BillingNotice, Plan, PlanPriceChange, Subscription
from broadsheet.billing.rules.pricing import PriceChange, list_price_at, renewal_price
from broadsheet.core import clock

log = logging.getLogger(__name__)


def price_changes_by_plan() -> dict[int, list[PriceChange]]:
    """Every plan's price changes (a short table), read once per run."""
    changes: dict[int, list[PriceChange]] = defaultdict(list)
    for row in PlanPriceChange.objects.all():
        changes[row.plan_id].append(
            PriceChange(row.announced_at, row.renewals_from, row.old_price_minor, row.new_price_minor)
        )
    return changes


def price_of(sub: Subscription, changes: Sequence[PriceChange], charge_at: datetime) -> tuple[Plan, int]:
    """The plan and list price the next period of `sub` is charged at (no offer applies to a renewal).

    A pending change of plan pays that plan's price; a price set on the row
    (`renewal_price_minor`) is kept whatever the plan costs; otherwise the price
    the reader bought at, moved on by the plan's price changes as
    `pricing.renewal_price` allows.
    """
    if sub.pending_plan is not None:
        return sub.pending_plan, sub.pending_plan.price_minor
    if sub.renewal_price_minor is not None:
        return sub.plan, sub.renewal_price_minor
    locked_at = sub.started_at or sub.anchor or sub.current_period_start
    locked = list_price_at(current_price=sub.plan.price_minor, changes=changes, at=locked_at)
    return sub.plan, renewal_price(locked_price=locked, locked_at=locked_at, changes=changes, charge_at=charge_at)


def plan_price_change(*, plan_id: int, new_price_minor: int, at: datetime, actor: str) -> PlanPriceChange | None:
    """Set a plan's price from `at`; None if it already costs that. Renewals follow after the notice period."""
    if type(new_price_minor) is not int or new_price_minor <= 0:
        raise ValueError("a plan's price is a positive number of paise")
    with transaction.atomic():
        plan = locks.plan_lock(plan_id)
        if plan.price_minor == new_price_minor:
            return None
        change = PlanPriceChange.objects.create(
            plan=plan,
            old_price_minor=plan.price_minor,
            new_price_minor=new_price_minor,
            announced_at=at,
            renewals_from=at + conf.price_change_notice(),
        )
        plan.price_minor = new_price_minor
        plan.save(update_fields=["price_minor"])
        log.info("plan %s price %s -> %s by %s", plan.slug, change.old_price_minor, new_price_minor, actor)
        transaction.on_commit(lambda: _enqueue_notify(change.pk))
    return change


def _enqueue_notify(change_id: int) -> None:
    billing_price_change_notify.enqueue(change_id)


def price_change_notify(*, change_id: int, at: datetime) -> int:
    """Mail the change to each auto-renewing subscriber of the plan not yet told; how many were mailed."""
    change = PlanPriceChange.objects.select_related("plan").get(pk=change_id)
    key = f"change-{change.pk}"
    told = set(
        BillingNotice.objects.filter(kind=BillingNotice.Kind.PRICE_CHANGE, key=key).values_list(
            "subscription_id", flat=True
        )
    )
    changes = price_changes_by_plan()
    lead = conf.renewal_policy().lead
    subscribers = Subscription.objects.filter(
        plan_id=change.plan_id,
        status__in=[Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE],
        auto_renew=True,
        renewal_price_minor__isnull=True,
    ).select_related("plan", "pending_plan", "user")
    sent = 0
    for sub in subscribers.iterator(chunk_size=500):
        if sub.pk in told:
            continue
        _, next_price = price_of(sub, changes.get(change.plan_id, []), sub.current_period_end - lead)
        sent += notices.price_change_notice(subscription=sub, change=change, next_price_minor=next_price, at=at)
    return sent


@task()
def billing_price_change_notify(change_id: int) -> int:
    """Mail a price change to every auto-renewing subscriber of its plan (each once); safe to run twice."""
    return price_change_notify(change_id=change_id, at=clock.now())
