"""`broadsheet epaper-demo`: the demo's print editions for the last seven days, laid out from the demo stories."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from broadsheet.epaper.demo import DAYS, demo_editions


class Command(BaseCommand):
    help = f"Lay out, upload and render a demo edition for each of the last {DAYS} days (missing ones only)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"E-paper demo: editions for the last {DAYS} days…")
        made = demo_editions(progress=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"E-paper demo: {made['created']} editions created ({made['pages']} pages), "
                f"{made['existing']} already there."
            )
        )
