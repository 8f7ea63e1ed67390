"""A wire desk with one agency (PNS), sections, mapping rules, and a drop folder in tmp_path."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from broadsheet.newsroom.models import Section, Tag
from broadsheet.wire.models import MappingRule, WireItem, WireSource
from broadsheet.wire.services import Tally, source_ingest
from tests import factories as f

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "wire"


@dataclass
class Desk:
    source: WireSource
    inbox: Path
    sections: dict[str, Section]
    _clock: int = 1_700_000_000

    def drop(self, *names: str, data: bytes | None = None, as_name: str | None = None) -> list[Path]:
        """Copy fixtures into the drop folder, each a second newer than the last (files are read oldest first)."""
        paths = []
        for name in names:
            target = self.inbox / (as_name or name.replace("/", "__"))
            if data is not None:
                target.write_bytes(data)
            else:
                shutil.copyfile(FIXTURES / name, target)
            self._clock += 1
            os.utime(target, ns=(self._clock * 10**9, self._clock * 10**9))
            paths.append(target)
        return paths

    def ingest(self) -> Tally:
        self.source.refresh_from_db()
        return source_ingest(source=self.source)


def outcomes() -> Counter[str]:
    return Counter(WireItem.objects.values_list("state", flat=True))


@pytest.fixture
def desk(db: None, tmp_path: Path, settings: object) -> Desk:
    settings.BROADSHEET_WIRE_QUARANTINE_DIR = tmp_path / "quarantine"  # type: ignore[attr-defined]
    f.publication()
    f.demo_plans()
    sections = {slug: f.section(slug) for slug in ("news", "business", "politics")}
    agency = f.agency("PNS")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    source = WireSource.objects.create(
        name="PNS drop folder",
        slug="pns",
        agency=agency,
        location=str(inbox),
        auto_publish=True,
        default_section=sections["news"],
        default_access="free",
    )
    commodities = Tag.objects.create(name="Commodities", slug="commodities")
    MappingRule.objects.create(position=1, match="medtop:04000000", section=sections["business"])
    MappingRule.objects.create(position=2, match="medtop:11000000", section=sections["politics"])
    MappingRule.objects.create(position=3, match="Commodities", tag=commodities)
    return Desk(source=source, inbox=inbox, sections=sections)
