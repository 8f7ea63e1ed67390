"""The worker's periodic newsletter job (registered with broadsheet.core.schedule in apps.py)."""

from __future__ import annotations

from django.tasks import task

from broadsheet.core import clock
from broadsheet.newsletters.sending import control


@task()
def newsletters_tick() -> dict[str, int]:
    """Scheduled issues that are due, sends whose senders died, and deferred deliveries whose retry is due."""
    return control.tick(at=clock.now())
