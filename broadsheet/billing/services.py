"""Writes to subscription records. Every change goes through here."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from broadsheet.billing.models import Plan, Subscription
from broadsheet.core.periods import add_months
from broadsheet.readers.entitlements import benefits_forget


def subscription_grant(*, user_id: int, plan: Plan, start: datetime, auto_renew: bool = True) -> Subscription:
    """Staff grant (until billing lands): an active subscription for one period of the plan."""
    with transaction.atomic():
        sub = Subscription.objects.create(
            user_id=user_id,
            plan=plan,
            status=Subscription.Status.ACTIVE,
            current_period_start=start,
            current_period_end=add_months(start, plan.period_months),
            auto_renew=auto_renew,
        )
        transaction.on_commit(lambda: benefits_forget(user_id=user_id))
    return sub


def subscription_saved(*, subscription: Subscription) -> None:
    """Call after the admin or any other writer saved a subscription."""
    user_id = subscription.user_id
    transaction.on_commit(lambda: benefits_forget(user_id=user_id))
