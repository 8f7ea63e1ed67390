"""`broadsheet epaper-upload FILE --date 2026-12-01 --edition Mumbai`: upload one edition's PDF.

The file is checked (PDF, not encrypted, under the size limit, has pages) before
anything is stored. An edition that exists is replaced only after confirmation
(`--replace`, or "y" at the prompt). Rendering runs in `broadsheet worker`, or
here with `--inline`, page by page with progress.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.core import clock
from broadsheet.epaper import pdf, selectors
from broadsheet.epaper.models import Printing
from broadsheet.epaper.rendering import printing_render
from broadsheet.epaper.uploads import EditionExists, UploadRefused, edition_upload, upload_from_path


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be a date like 2026-12-01, got {value!r}") from exc


class Command(BaseCommand):
    help = "Upload an edition's PDF for a date; it renders in the worker (or here with --inline)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the edition as one PDF")
        parser.add_argument("--date", required=True, help="the edition's date, e.g. 2026-12-01")
        parser.add_argument("--edition", required=True, help="the edition's name, e.g. Mumbai")
        parser.add_argument("--replace", action="store_true", help="replace an existing edition without asking")
        parser.add_argument("--inline", action="store_true", help="render here and now instead of in the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _date(options["date"])
        try:
            handle = open(options["file"], "rb")  # noqa: SIM115 - closed below, after the upload
        except OSError as exc:
            raise CommandError(f"cannot read {options['file']}: {exc.strerror}") from exc
        with handle:
            upload = upload_from_path(options["file"], handle)
            self.stdout.write(f"Checking {upload.name} ({upload.size_bytes / 1_048_576:,.1f} MB)…")
            printing = self._upload(upload, day, options)
        self.stdout.write(
            f"Stored: {printing.edition.name}, {day.isoformat()}, {printing.page_count} pages (printing {printing.pk})."
        )
        if not options["inline"]:
            self.stdout.write("Queued for rendering: `broadsheet worker` renders it and puts it live.")
            return
        self.stdout.write(f"Rendering {printing.page_count} pages…")
        summary = printing_render(printing_id=printing.pk, progress=self._progress)
        printing.refresh_from_db()
        self.stdout.write(f"Done: {summary.line()}.")
        if printing.state == Printing.State.READY:
            self.stdout.write(self.style.SUCCESS(f"Live at /epaper/{day.isoformat()}/{printing.edition.slug}/1/"))
        else:
            raise CommandError(printing.error or f"the edition is {printing.get_state_display()}")

    def _upload(self, upload: Any, day: date, options: dict[str, Any]) -> Printing:
        kwargs = {
            "upload": upload,
            "day": day,
            "name": options["edition"],
            "actor_id": None,
            "at": clock.now(),
            "today": selectors.today(),
            "enqueue": not options["inline"],
        }
        try:
            return edition_upload(replace=options["replace"], **kwargs)
        except UploadRefused as exc:
            raise CommandError(f"refused: {exc}") from exc
        except EditionExists as exc:
            if not self._confirm(str(exc)):
                raise CommandError(f"{exc} Nothing was changed; pass --replace to replace it.") from exc
        try:
            return edition_upload(replace=True, **kwargs)
        except UploadRefused as exc:
            raise CommandError(f"refused: {exc}") from exc

    def _confirm(self, question: str) -> bool:
        if not sys.stdin.isatty():
            return False
        self.stdout.write(f"{question} Replace it? [y/N] ", ending="")
        self.stdout.flush()
        return sys.stdin.readline().strip().lower() in {"y", "yes"}

    def _progress(self, number: int, total: int, page: pdf.RenderedPage) -> None:
        if page.error:
            self.stderr.write(f"  page {number}/{total}: BROKEN, {page.error}")
        else:
            self.stdout.write(
                f"  page {number}/{total}: {page.width} x {page.height} px, {len(page.text.split())} words"
            )
