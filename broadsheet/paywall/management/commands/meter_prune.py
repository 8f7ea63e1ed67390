"""`broadsheet meter-prune`: delete the database meter's rows of past months, with progress."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from broadsheet.paywall.tasks import MONTHS_KEPT, meter_prune_run


class Command(BaseCommand):
    help = (
        "Delete the meter's counted views and counters of every month before the last ones kept"
        f" (default {MONTHS_KEPT}: this month and the one before). The worker runs it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=MONTHS_KEPT, help="months kept, this one included")
        parser.add_argument("--quiet", action="store_true", help="print the summary only")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["months"] < 1:
            self.stderr.write("--months must be at least 1: the meter keeps the month it is counting.")
            raise SystemExit(2)
        self._shown: dict[str, int] = {}
        pruned = meter_prune_run(months_kept=options["months"], progress=None if options["quiet"] else self._progress)
        self.stdout.write(f"Meter pruned: {pruned.summary()}.")

    def _progress(self, table: str, walked: int, total: int) -> None:
        share = walked * 100 // total if total else 100
        if share >= self._shown.get(table, -10) + 10 or walked == total:  # every tenth, and the end
            self._shown[table] = share
            self.stdout.write(f"  {table}: {walked:,} of {total:,} ids walked ({share}%)")
