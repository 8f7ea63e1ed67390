"""`manage.py renew [--now ISO] [--limit N] [--share K/N]`: one renewal run by hand, with progress and a summary.

The worker (`broadsheet worker`) runs the same thing every
BROADSHEET_RENEWAL_EVERY_SECONDS; this is for operators (catching up after an
outage, checking what is due) and for rehearsing with a moved clock (`--now`).
A large catch-up can be split over processes: `--share 0/2` and `--share 1/2`
started side by side take half of the due rows each.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from broadsheet.billing.renewals.run import RenewalSummary, Share, renewal_run
from broadsheet.core import clock


def parse_now(value: str | None) -> datetime:
    """An ISO time; a naive one is read in the site's time zone."""
    if not value:
        return clock.now()
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now: not an ISO date or time: {value!r}") from None
    return at if timezone.is_aware(at) else timezone.make_aware(at)


def parse_share(value: str | None) -> Share | None:
    """Read K/N: the K-th of N shares of the due rows, counted from 0."""
    if not value:
        return None
    try:
        index, of = (int(part) for part in value.split("/"))
        return Share(index, of)
    except ValueError:
        raise CommandError(f"--share: K/N with 0 <= K < N, e.g. 0/2, not {value!r}") from None


class Command(BaseCommand):
    help = "Send due pre-debit notices, charge due renewals and retries, and expire ended subscriptions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="run as if it were this time (ISO 8601, e.g. 2027-02-28T09:00+05:30)")
        parser.add_argument("--limit", type=int, help="look at no more than N due subscriptions")
        parser.add_argument("--gateway", help="only subscriptions of this gateway")
        parser.add_argument("--share", help="K/N: only the K-th of N shares of the due rows (0/2 and 1/2 side by side)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"])
        share = parse_share(options["share"])
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError("--limit: at least 1")
        part = f", share {share.index} of {share.of}" if share else ""
        self.stdout.write(f"Renewal run at {now.isoformat()}{part}")
        summary = renewal_run(
            now=now, gateway_name=options["gateway"], limit=options["limit"], progress=self._progress, share=share
        )
        if not summary.seen and not summary.skipped:
            self.stdout.write("Nothing due.")
        self.stdout.write(f"Done: {summary.line()}.")

    def _progress(self, done: int, total: int, summary: RenewalSummary) -> None:
        self.stdout.write(
            f"  {done}/{total} due subscriptions: {summary.notices} notices, {summary.charged} charged, "
            f"{summary.declined} declined, {summary.expired} expired"
        )
