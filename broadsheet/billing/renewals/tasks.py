"""Background work of renewals: the periodic run, registered with the worker's schedule."""

from __future__ import annotations

from django.tasks import task

from broadsheet.billing import conf
from broadsheet.billing.renewals.run import Share, renewal_run
from broadsheet.core import clock, schedule


@task()
def billing_renew_due() -> dict[str, int]:
    """Notices, charges, retries and expiries due now; safe to run twice or alongside another run.

    With BROADSHEET_RENEWAL_SHARES above 1 the run is split: one task per share is enqueued and each
    worker takes one, so the renewals of one interval use as many processes as there are workers."""
    shares = conf.renewal_shares()
    if shares == 1:
        return renewal_run(now=clock.now()).as_dict()
    for index in range(shares):
        billing_renew_share.enqueue(index, shares)
    return {"shares_enqueued": shares}


@task()
def billing_renew_share(index: int, of: int) -> dict[str, int]:
    """One share of the due rows (see `renewals.run.Share`)."""
    return renewal_run(now=clock.now(), share=Share(index, of)).as_dict()


def schedule_register() -> None:
    """Register billing's periodic jobs with broadsheet.core.schedule."""
    schedule.register("billing.renew", every=conf.renewal_every_seconds(), task=billing_renew_due)
