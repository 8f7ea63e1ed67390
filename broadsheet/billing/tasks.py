"""Background work of billing: the periodic renewal run, and price-change notices."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from broadsheet.core import clock


def renewal_every_seconds() -> int:
    """How often the worker runs the renewals (each run does only what is due)."""
    return max(1, int(getattr(settings, "BROADSHEET_RENEWAL_EVERY_SECONDS", 300)))


@task()
def billing_renew_due() -> dict[str, int]:
    """Notices, charges, retries and expiries due now; safe to run twice or alongside another run."""
    from broadsheet.billing.renewals import renewal_run

    return renewal_run(now=clock.now()).as_dict()


@task()
def billing_price_change_notify(change_id: int) -> int:
    """Mail a price change to every auto-renewing subscriber of its plan (each once); safe to run twice."""
    from broadsheet.billing.plan_prices import price_change_notify

    return price_change_notify(change_id=change_id, at=clock.now())


def schedule_register() -> None:
    """Register billing's periodic jobs with broadsheet.core.schedule."""
    from broadsheet.core import schedule

    schedule.register("billing.renew", every=renewal_every_seconds(), task=billing_renew_due)
