"""`broadsheet search-rebuild`: fill the search index again from the live stories, with progress."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from broadsheet.search.epaper_pages import epaper_index_rebuild
from broadsheet.search.services import BATCH, search_index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every live story and e-paper page"
        " (searches read the old index until it is done)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=BATCH, help=f"stories per step (default {BATCH})")
        parser.add_argument("--quiet", action="store_true", help="print the summary only")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            self.stderr.write("--batch must be at least 1.")
            raise SystemExit(2)
        progress = None if options["quiet"] else self._progress
        summary = search_index_rebuild(progress=progress, batch=options["batch"])
        self.stdout.write(summary.text())
        pages = epaper_index_rebuild()
        self.stdout.write(f"E-paper pages in the index: {pages:,}.")

    def _progress(self, done: int, top: int) -> None:
        share = done * 100 // top if top else 100
        self.stdout.write(f"  stories up to id {done:,} of {top:,} ({share}%)")
