"""`broadsheet wire-demo-source`: the demo wire desk: a drop folder of sample copy, ingested once."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from broadsheet.demo.accounts import ACCOUNTS
from broadsheet.newsroom.groups import groups_ensure
from broadsheet.newsroom.models import Agency, Section
from broadsheet.wire import demo
from broadsheet.wire.models import WireSource
from broadsheet.wire.services import source_ingest

WIRE_DESK_GROUP = "Wire desk"


class Command(BaseCommand):
    help = "Create the demo wire source (a drop folder of good and hostile sample copy) and ingest it."

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=demo.AGENCY_CODE).first()
        section = Section.objects.filter(slug=demo.DEFAULT_SECTION).first()
        if agency is None or section is None:
            raise CommandError("run `broadsheet seed-demo` first: the demo agency and sections are missing")
        inbox = settings.DATA_DIR / "wire" / "demo-inbox"
        inbox.mkdir(parents=True, exist_ok=True)
        source, created = WireSource.objects.get_or_create(
            slug=demo.SOURCE_SLUG,
            defaults={
                "name": demo.SOURCE_NAME,
                "agency": agency,
                "location": str(inbox),
                "auto_publish": False,
                "default_section": section,
                "default_access": "metered",
            },
        )
        self._drop(inbox)
        self._editors_join_the_desk()
        tally = source_ingest(source=source, trigger="demo")
        state = "created" if created else "exists"
        self.stdout.write(f"Wire desk demo: source {source.slug} {state}, drop folder {inbox}. {tally.summary()}")

    def _drop(self, inbox: Any) -> None:
        """Write the sample files that are missing, each a second newer than the last (read oldest first)."""
        for n, (name, data) in enumerate(demo.FILES.items()):
            path = inbox / name
            if path.exists():
                continue
            path.write_bytes(data)
            stamp = 1_700_000_000 + n
            os.utime(path, (stamp, stamp))

    def _editors_join_the_desk(self) -> None:
        groups_ensure()
        desk = Group.objects.get(name=WIRE_DESK_GROUP)
        emails = [email for email, _, role in ACCOUNTS if role == "editor"]
        for user in get_user_model().objects.filter(email__in=emails):
            user.groups.add(desk)
