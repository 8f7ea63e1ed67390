"""The demo wire desk: a drop folder of Coromandel Press Service copy, good and hostile.

The source queues what it takes (nothing reaches the demo site until an editor
publishes it), so the desk shows each case: two clean stories, one whose text
was normalised (control characters, a bidi override), one whose markup was
removed, one whose headline would once have blanked its page, and four files
or items that are quarantined with their reason while the rest go on.
"""

from __future__ import annotations

import json
from typing import Any

SOURCE_SLUG = "cps-demo"
SOURCE_NAME = "Coromandel Press Service (demo drop folder)"
AGENCY_CODE = "CPS"
DEFAULT_SECTION = "india"
DEEP = 100_000


def _ninjs(uri: str, headline: str, body: str, **extra: Any) -> bytes:
    item = {"uri": f"urn:cps:demo:{uri}", "version": "1", "headline": headline, "body_text": body, **extra}
    return json.dumps(item, ensure_ascii=False, indent=2).encode()


_NEWSML = """<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:cps:demo:port-cranes" version="1">
  <itemMeta><pubStatus qcode="stat:usable"/></itemMeta>
  <contentMeta>
    <headline>Chennai port adds two cranes to cut waiting times</headline>
    <description role="drol:summary">Ships now wait a day less at the container terminal, the port says.</description>
    <located><name>CHENNAI</name></located>
  </contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>
    <p>Two new quay cranes began work at the container terminal on Monday, and the port expects the
    average wait for a berth to fall from three days to two by the end of the month.</p>
    <p>Shipping lines had complained of queues since the spring. --CPS</p>
  </body></html></inlineXML></contentSet>
</newsItem>
"""

# name -> bytes, in the order they are dropped (the folder is read oldest first)
FILES: dict[str, bytes] = {
    "cps-0001-ferry.json": _ninjs(
        "ferry",
        "Island ferries sail again after the monsoon pause",
        "The state ferry service resumed sailings to the outer islands on Saturday after a six-week pause.\n\n"
        "Fares are unchanged, the transport department said, and a second boat joins the route next week.",
        description_text="Six weeks of rough seas kept the boats in harbour.",
        located="PORT BLAIR",
    ),
    "cps-0002-port-cranes.xml": _NEWSML.encode(),
    "cps-0003-lone-surrogate.json": (
        b'{"uri":"urn:cps:demo:surrogate","version":"1","headline":"Tea auction \\ud800 prices","body_text":"b"}'
    ),
    "cps-0004-subject-five.json": _ninjs("subject", "Spice exports rise", "Cardamom led the gains.", subject=5),
    "cps-0005-deeply-nested.json": b'{"uri":"urn:cps:demo:deep","headline":'
    + b'{"a":' * DEEP
    + b"1"
    + b"}" * DEEP
    + b"}",
    "cps-0006-control-characters.json": _ninjs(
        "controls",
        "Coastal road \x1b opens to traffic \u202ebefore\u202c the festival",
        "The coastal road\x0b between the two fishing towns opened on Friday.\n\n"
        "Buses start running on the route next month.",
    ),
    "cps-0007-markup.json": json.dumps(
        {
            "uri": "urn:cps:demo:markup",
            "version": "1",
            "headline": "Lantern festival lights the river ghats",
            "body_html": '<p onclick="track()">Thousands lined the ghats for the lantern festival.</p>'
            "<script>document.location='https://tracker.example/'</script>"
            '<p style="color:red">The music went on past midnight.</p>',
        }
    ).encode(),
    "cps-0008-script-in-headline.json": _ninjs(
        "script-headline",
        "Harbour &lt;!--&lt;script&gt; notice puzzles boat owners",
        "A notice pasted on the harbour gate carried a fragment of web code instead of the new timings.\n\n"
        "The port office said the right notice would go up on Monday.",
    ),
    "cps-0009-year-9999-embargo.json": _ninjs(
        "embargo", "Budget figures for the next century", "Not for now.", embargoed="9999-12-31T23:59:59Z"
    ),
}
