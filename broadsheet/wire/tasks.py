"""Background work of the wire desk: the periodic poll of every source that is due."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from broadsheet.core import clock
from broadsheet.wire.models import WireSource
from broadsheet.wire.services import SourceBusy, source_ingest


@task()
def wire_poll_due() -> dict[str, str]:
    """Ingest every enabled source whose own interval has passed; safe to run twice (passes take a lease)."""
    now = clock.now()
    results: dict[str, str] = {}
    for source in WireSource.objects.filter(enabled=True).select_related("agency"):
        if source.last_polled_at and source.last_polled_at + timedelta(seconds=source.poll_every_seconds) > now:
            continue
        try:
            results[source.slug] = source_ingest(source=source, trigger="worker").summary()
        except SourceBusy as exc:
            results[source.slug] = str(exc)
    return results
