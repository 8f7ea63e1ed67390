"""The demo's second wire source: Meridian Wire Agency copy whose items end in every outcome the desk shows.

Two files of invented Meridian Wire Agency copy are written to a folder under the data
dir and ingested through the real path (`source_ingest`), then one queued story is
published from the desk, so the queue shows published, queued, updated, killed,
duplicate and quarantined items. Create-only: a source that exists is left as it is.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from broadsheet.newsroom.models import Agency, Section
from broadsheet.wire import desk
from broadsheet.wire.decide import Outcome
from broadsheet.wire.models import WireItem, WireSource
from broadsheet.wire.services import source_ingest

SOURCE_SLUG = "mwa-demo"


def _item(uri: str, version: int, headline: str, summary: str, paras: list[str], **extra: object) -> dict[str, object]:
    return {
        "uri": uri,
        "version": str(version),
        "pubstatus": "usable",
        "headlines": [{"role": "main", "value": headline}],
        "descriptions": [{"role": "summary", "contenttype": "text/plain", "value": summary}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "".join(f"<p>{p}</p>" for p in paras)}],
        **extra,
    }


FIRST = [
    _item(
        "urn:mwa:demo:jute-001",
        1,
        "Jute mills in Bengal restart night shifts as orders pick up",
        "Mills that had cut shifts in the spring are hiring again for the packaging season.",
        [
            "Several jute mills along the Hooghly have restarted night shifts after packaging orders for the "
            "grain harvest rose for a second month.",
            "Mill owners said the wage agreement signed in March "
            "had removed the threat of a strike for the rest of the year.",
        ],
        located={"name": "KOLKATA"},
    ),
    _item(
        "urn:mwa:demo:ferry-002",
        1,
        "Kochi water metro adds two routes to the islands",
        "The battery-powered ferries will call at four more jetties from next month.",
        [
            "The city's water metro will add two routes to the islands north of the harbour, the operator said.",
            "Ridership has doubled since the first boats entered service, with most trips taken by commuters.",
        ],
        located={"name": "KOCHI"},
    ),
    _item(
        "urn:mwa:demo:tea-003",
        1,
        "Darjeeling growers expect a smaller second flush",
        "Dry weather in April cut the leaf that estates could pluck.",
        [
            "Estates in the hills expect a second flush about a tenth smaller than last year's after a dry April.",
            "Auction prices for the first flush were firm, growers said.",
        ],
    ),
    {
        "uri": "urn:mwa:demo:broken-004",
        "version": "1",
        "pubstatus": "usable",
        "bodies": [
            {"role": "main", "contenttype": "text/html", "value": "<p>An item that arrived without a headline.</p>"}
        ],
    },
]
SECOND = [
    _item(
        "urn:mwa:demo:jute-001",
        2,
        "Jute mills in Bengal restart night shifts as orders pick up",
        "Mills that had cut shifts in the spring are hiring again for the packaging season.",
        [
            "Several jute mills along the Hooghly have restarted night shifts after packaging orders for the "
            "grain harvest rose for a second month, an industry body said on Tuesday.",
            "Mill owners said the "
            "wage agreement signed in March had removed the threat of a strike for the rest of the year.",
        ],
        located={"name": "KOLKATA"},
    ),
    _item(
        "urn:mwa:demo:ferry-002",
        1,
        "Kochi water metro adds two routes to the islands",
        "The battery-powered ferries will call at four more jetties from next month.",
        ["A resend of the same version."],
    ),
    {
        "uri": "urn:mwa:demo:tea-003",
        "version": "2",
        "pubstatus": "canceled",
        "ednote": "MWA has withdrawn this story: the estate figures were provisional.",
    },
]


def wire_desk_seed(*, data_dir: Path | None = None) -> bool:
    """The demo source with its two files ingested; False if it was there already."""
    if WireSource.objects.filter(slug=SOURCE_SLUG).exists():
        return False
    agency, _ = Agency.objects.get_or_create(code="MWA", defaults={"name": "Meridian Wire Agency"})
    folder = Path(data_dir or settings.DATA_DIR) / "wire-demo"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):  # left by an earlier database: the new source starts from its own files
        old.unlink()
    source = WireSource.objects.create(
        name="Meridian Wire Agency (demo feed)",
        slug=SOURCE_SLUG,
        agency=agency,
        kind=WireSource.Kind.DIRECTORY,
        location=str(folder),
        default_section=Section.objects.filter(slug="india").first(),
        enabled=False,  # the worker leaves it alone: the demo's items arrived once
    )
    for name, items in (("01-morning.json", FIRST), ("02-afternoon.json", SECOND)):
        (folder / name).write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
        source_ingest(source=source, trigger="demo")
    queued = WireItem.objects.filter(source=source, state=Outcome.QUEUED, guid="urn:mwa:demo:ferry-002").first()
    if queued is not None:
        desk.item_publish(item_id=queued.pk, actor=None)
    return True
