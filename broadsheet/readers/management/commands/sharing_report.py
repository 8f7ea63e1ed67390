"""`broadsheet sharing-report`: accounts seen from many networks within a short window.

The list is for the subscription manager. Flagging never signs anyone out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from broadsheet.core import clock
from broadsheet.readers import conf, devices
from broadsheet.readers.models import SharingFlag


class Command(BaseCommand):
    help = "Re-check recent device sightings and list accounts flagged for possible sharing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="look at sightings of the last N days (default 7)")
        parser.add_argument("--all", action="store_true", help="include flags already reviewed")
        parser.add_argument("--prune-days", type=int, default=0, help="delete sightings older than N days")

    def handle(self, *args: Any, **options: Any) -> None:
        at = clock.now()
        devices.sharing_scan(since=at - timedelta(days=options["days"]), at=at)
        if options["prune_days"]:
            pruned = devices.sightings_prune(before=at - timedelta(days=options["prune_days"]))
            self.stderr.write(f"pruned {pruned} old sightings")
        flags = SharingFlag.objects.select_related("user").order_by("-networks", "-updated_at")
        if not options["all"]:
            flags = flags.filter(reviewed_at__isnull=True)
        hours = conf.sharing_window().total_seconds() / 3600
        self.stdout.write(
            f"Accounts seen from {conf.sharing_threshold()} or more networks within {hours:g} hours "
            "(a flag to review; nobody is signed out):"
        )
        count = 0
        for flag in flags:
            count += 1
            reviewed = f" reviewed {flag.reviewed_at:%Y-%m-%d}" if flag.reviewed_at else ""
            self.stdout.write(
                f"{flag.user.email}\t{flag.networks} networks\t"
                f"{flag.window_start:%Y-%m-%d %H:%M} to {flag.window_end:%Y-%m-%d %H:%M} UTC{reviewed}"
            )
        if not count:
            self.stdout.write("none")
