"""`broadsheet ingest-wire [SOURCE]`: one pass over one source (by slug) or every enabled source."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.wire.models import WireSource
from broadsheet.wire.services import SourceBusy, Tally, source_ingest


class Command(BaseCommand):
    help = "Fetch and ingest what is new at a wire source (all enabled sources when none is named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", nargs="?", help="the source's slug (see the wire desk in the admin)")

    def handle(self, *args: Any, source: str | None = None, **options: Any) -> None:
        if source:
            sources = list(WireSource.objects.filter(slug=source).select_related("agency"))
            if not sources:
                known = ", ".join(WireSource.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"no wire source {source!r} (known: {known})")
        else:
            sources = list(WireSource.objects.filter(enabled=True).select_related("agency"))
            if not sources:
                self.stdout.write("No enabled wire sources. Add one in the admin under Wire desk → Wire sources.")
                return
        total = Tally()
        for wire_source in sources:
            self.stdout.write(f"{wire_source.slug}: {wire_source.get_kind_display()} {wire_source.location}")
            try:
                tally = source_ingest(source=wire_source, trigger="command", progress=self._progress)
            except SourceBusy as exc:
                self.stderr.write(f"  skipped: {exc}")
                continue
            for error in tally.errors:
                self.stderr.write(f"  error: {error}")
            self.stdout.write(f"  {tally.summary()}")
            total.merge(tally)
        if len(sources) > 1:
            self.stdout.write(f"Total: {total.summary()}")
        if total.errors and not sum(total.items.values()):
            raise CommandError("nothing ingested: " + "; ".join(total.errors))

    def _progress(self, name: str, done: int, count: int) -> None:
        self.stdout.write(f"  {name}: {done}/{count} items")
