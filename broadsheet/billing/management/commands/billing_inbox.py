"""`manage.py billing_inbox`: the webhook events that matched nothing or failed, and handling them again.

Unmatched events are kept, never dropped: this is where they are reported. A
refund made in the gateway's dashboard stays unmatched until staff record it;
an event for a subscription we did not know yet is matched by `--retry` once it is.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from broadsheet.billing.models import InboxEvent
from broadsheet.billing.webhooks.inbox import RETRYABLE, inbox_retry
from broadsheet.core import clock


class Command(BaseCommand):
    help = "List webhook events that are unmatched or failed; with --retry, handle them again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--retry", action="store_true", help="handle the listed events again")
        parser.add_argument("--gateway", default="", help="only this gateway's events")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = InboxEvent.objects.filter(status__in=RETRYABLE).order_by("received_at", "id")
        if options["gateway"]:
            rows = rows.filter(gateway=options["gateway"])
        for row in rows:
            when = f"{row.received_at:%Y-%m-%d %H:%M}"
            line = f"{row.status:9} {when} {row.gateway}:{row.event_id} {row.gateway_type} x{row.deliveries}"
            self.stdout.write(f"{line}  {row.error}".rstrip())
        listed = Counter(row.status for row in rows)
        if not options["retry"]:
            self.stdout.write(f"{sum(listed.values())} events: {_counts(listed)}")
            return
        handled = inbox_retry(at=clock.now(), gateway_name=options["gateway"] or None)
        after = Counter(row.status for row in handled)
        self.stdout.write(f"handled {len(handled)} events again: {_counts(after)}")


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(counter.items())) or "none"
