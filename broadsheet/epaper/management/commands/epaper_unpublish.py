"""`broadsheet epaper-unpublish --date 2026-12-01 --edition Mumbai [--publish]`: hide (or show again) an edition."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from broadsheet.epaper.models import Edition
from broadsheet.epaper.uploads import edition_publish


class Command(BaseCommand):
    help = "Hide an edition from readers (or, with --publish, show it again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", required=True)
        parser.add_argument("--edition", required=True)
        parser.add_argument("--publish", action="store_true", help="show the edition again")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["date"])
        except ValueError as exc:
            raise CommandError(f"--date must be a date like 2026-12-01, got {options['date']!r}") from exc
        edition = Edition.objects.filter(date=day, slug=slugify(options["edition"])).first()
        if edition is None:
            raise CommandError(f"no {options['edition']} edition for {day.isoformat()}")
        changed = edition_publish(edition_id=edition.pk, published=options["publish"])
        state = "published" if options["publish"] else "unpublished"
        self.stdout.write(f"{edition}: {state}" + ("" if changed else " already"))
