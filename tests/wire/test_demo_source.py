"""`broadsheet wire-demo-source`: the demo desk holds one of each case, and nothing of it is on the site."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from broadsheet.readers.models import User
from broadsheet.wire.models import WireItem

pytestmark = pytest.mark.django_db


def test_the_demo_desk_queues_the_good_and_quarantines_the_bad(
    settings: object, tmp_path: Path, client: Client
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    call_command("seed_demo", verbosity=0)
    out = StringIO()
    call_command("wire_demo_source", stdout=out)
    assert "9 items: 0 published, 5 queued, 0 updated, 0 killed, 0 duplicate, 4 quarantined" in out.getvalue()
    items = {i.guid or i.file.name: i for i in WireItem.objects.filter(source__slug="cps-demo").select_related("file")}
    assert Counter(i.state for i in items.values()) == {"queued": 5, "quarantined": 4}
    assert "markup removed: <script>, onclick, style" in items["urn:cps:demo:markup"].reason
    assert "control characters removed; bidirectional controls removed" in items["urn:cps:demo:controls"].reason
    assert "out of range" in items["urn:cps:demo:embargo"].reason
    assert "nested too deeply" in items["cps-0005-deeply-nested.json"].reason
    assert "puzzles boat owners" not in client.get("/").content.decode()  # queued: off the site for now

    editor = User.objects.get(email="editor@example.com")
    assert editor.groups.filter(name="Wire desk").exists()
    again = StringIO()
    call_command("wire_demo_source", stdout=again)
    assert "0 items" in again.getvalue() and WireItem.objects.filter(source__slug="cps-demo").count() == 9
