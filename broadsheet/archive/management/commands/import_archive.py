"""`broadsheet import-archive FILE.jsonl`: bring in the back catalogue, one story a line.

Shows a progress bar while it runs and a summary at the end. Bad lines are listed with
their numbers and reasons (the first ones on screen, all of them in FILE.errors.txt);
every good line is imported all the same. Running the same file again changes nothing.
docs/archive.md describes the format.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from broadsheet.archive.importer import BATCH, WRITERS, ImportReport, archive_import

SHOWN_ERRORS = 50
BAR = 30


class Command(BaseCommand):
    help = "Import archive stories from a JSON Lines file (one story a line); safe to run again."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The .jsonl file: one JSON object per line.")
        parser.add_argument("--batch", type=int, default=BATCH, help=f"Stories written per batch (default {BATCH}).")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create sections (hidden from navigation) and agencies the file names that do not exist yet.",
        )
        parser.add_argument(
            "--writers",
            type=int,
            default=WRITERS,
            help=f"PostgreSQL: batches written at once, each on a connection of its own (default {WRITERS}).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="Processes that parse and clean lines while this one writes (default 0: none; they pay "
            "off only with cores to spare).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if options["batch"] < 1:
            raise CommandError("--batch: at least 1")
        if options["workers"] < 0 or options["writers"] < 0:
            raise CommandError("--workers and --writers: 0 or more")
        self.total = path.stat().st_size or 1
        self.started = time.monotonic()
        self.tty = sys.stdout.isatty()
        self.last_shown = -1
        self.last_lines = -1
        self.stdout.write(f"Importing {path} ({self.total:,} bytes)")
        report = archive_import(
            path=path,
            batch_size=options["batch"],
            create_missing=options["create_missing"],
            progress=self._progress,
            workers=options["workers"],
            writers=options["writers"],
        )
        if self.tty:
            self.stdout.write("")
        elapsed = time.monotonic() - self.started
        rate = report.stories / elapsed if elapsed > 0 else 0.0
        self.stdout.write(f"Done in {elapsed:.1f}s ({rate:,.0f} stories/s): {report.summary()}.")
        if report.errors:
            self._errors(path, report)

    def _progress(self, done: int, report: ImportReport) -> None:
        share = min(done / self.total, 1.0)
        percent = int(share * 100)
        if not self.tty and percent // 10 == self.last_shown // 10 and share < 1.0:
            return  # in a log, one line per tenth of the file
        filled = int(share * BAR)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        line = (
            f"[{'#' * filled}{'.' * (BAR - filled)}] {percent:3d}%  {report.lines:,} lines, "
            f"{report.stories:,} stories ({report.stories / elapsed:,.0f}/s), {len(report.errors):,} refused"
        )
        if report.lines == self.last_lines:
            return  # nothing read since the last line shown
        self.last_shown, self.last_lines = percent, report.lines
        self.stdout.write(f"\r{line}" if self.tty else line, ending="")
        if not self.tty:
            self.stdout.write("")
        self.stdout.flush()

    def _errors(self, path: Path, report: ImportReport) -> None:
        listing = path.with_name(path.name + ".errors.txt")
        listing.write_text("".join(f"{e}\n" for e in report.errors), encoding="utf-8")
        self.stderr.write(f"{len(report.errors):,} lines were refused; the good lines were imported:")
        for error in report.errors[:SHOWN_ERRORS]:
            self.stderr.write(f"  {error}")
        if len(report.errors) > SHOWN_ERRORS:
            self.stderr.write(f"  … and {len(report.errors) - SHOWN_ERRORS:,} more")
        self.stderr.write(f"Every refused line, with its reason: {listing}")
        raise CommandError("some lines were refused (see above); fix them and run the same file again", returncode=1)
