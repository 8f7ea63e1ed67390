"""Background work of renewals: the periodic run, registered with the worker's schedule."""

from __future__ import annotations

from django.tasks import task

from broadsheet.billing import conf
from broadsheet.billing.renewals.run import renewal_run
from broadsheet.core import clock, schedule


@task()
def billing_renew_due() -> dict[str, int]:
    """Notices, charges, retries and expiries due now; safe to run twice or alongside another run."""
    return renewal_run(now=clock.now()).as_dict()


def schedule_register() -> None:
    """Register billing's periodic jobs with broadsheet.core.schedule."""
    schedule.register("billing.renew", every=conf.renewal_every_seconds(), task=billing_renew_due)
