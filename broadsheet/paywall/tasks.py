"""Background work of the paywall: the daily pruning of the database meter's past months."""

from __future__ import annotations

from django.tasks import task

from broadsheet.core import clock
from broadsheet.core.periods import meter_period, meter_period_shift
from broadsheet.newsroom.selectors import publication_get
from broadsheet.paywall.meter import DatabaseMeterStore, MeterPruned, PruneProgress

# The months the database meter keeps: this one, which the paywall counts, and the one before it.
MONTHS_KEPT = 2
PRUNE_EVERY_SECONDS = 24 * 3600


def meter_prune_run(*, months_kept: int = MONTHS_KEPT, progress: PruneProgress | None = None) -> MeterPruned:
    """Delete the database meter's rows of every month before the last `months_kept`, in the
    publication's time zone. The tables exist whichever store counts, so a site that moved its
    meter to Redis is emptied of the old months too; Redis's own keys expire by themselves."""
    if months_kept < 1:
        raise ValueError("the meter keeps at least the month it is counting")
    current = meter_period(clock.now(), publication_get().time_zone)
    keep_from = meter_period_shift(current, -(months_kept - 1))
    return DatabaseMeterStore().prune(keep_from=keep_from, progress=progress)


@task()
def meter_prune() -> dict[str, int]:
    """The periodic job: safe to run twice (a second run finds nothing to delete)."""
    pruned = meter_prune_run()
    return {"views": pruned.views, "counts": pruned.counts}
