"""Writes to subscription records. Every change goes through here."""

from __future__ import annotations

from datetime import datetime

from broadsheet.billing.models import Plan, Subscription
from broadsheet.core.periods import add_months


def subscription_grant(*, user_id: int, plan: Plan, start: datetime, auto_renew: bool = True) -> Subscription:
    """Staff grant (until billing lands): an active subscription for one period of the plan.

    Saving the row bumps the "subscriptions" generation, so every process drops
    its cached benefits.
    """
    return Subscription.objects.create(
        user_id=user_id,
        plan=plan,
        status=Subscription.Status.ACTIVE,
        current_period_start=start,
        current_period_end=add_months(start, plan.period_months),
        auto_renew=auto_renew,
    )
