"""RSS 2.0 and Atom through feedparser.

Feeds have no kill notice of their own: an entry with a category `kill` or
`withdrawn` is a kill (its summary is the notice), and an Atom tombstone
(RFC 6721 `at:deleted-entry`) is a kill of the entry it names. Atom's `updated`
is the version; RSS items have none, so a changed text under the same guid is
an update and the same text a duplicate.
"""

from __future__ import annotations

import calendar
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from broadsheet.core.lazy_modules import lazy_module
from broadsheet.wire import text
from broadsheet.wire.formats.common import AgencyItem, bad_entry, make_entry
from broadsheet.wire.formats.newsml import local
from broadsheet.wire.items import BadEntry, Format, ParsedFile, Subject, WireEntry

if TYPE_CHECKING:
    import feedparser
else:
    feedparser = lazy_module("feedparser")  # loaded by the first feed parsed, not by every web worker

KILL_CATEGORIES = {"kill", "killed", "withdrawn", "withdrawal"}


def _when(parsed: time.struct_time | None) -> datetime | None:
    """A feed's date, or None when there is none or it is not a time (feeds' dates are advisory)."""
    if not parsed:
        return None
    try:
        when = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, OSError, ValueError, TypeError):
        return None
    return when if text.FIRST_YEAR <= when.year <= text.LAST_YEAR else None


def _entry(entry: Any, raw: bytes, fmt: Format, max_item_bytes: int) -> WireEntry:
    tags = entry.get("tags") or []
    subjects = [
        Subject(code=text.media_topic(t.get("term") or ""), name=t.get("label") or "")
        if (t.get("term") or "").startswith(("medtop:", "http://cv.iptc.org/"))
        else Subject(code="", name=t.get("term") or t.get("label") or "")
        for t in tags
    ]
    kill = any((s.name or "").strip().lower() in KILL_CATEGORIES for s in subjects)
    subjects = [s for s in subjects if s.name.strip().lower() not in KILL_CATEGORIES]
    content = entry.get("content") or []
    body = content[0].get("value", "") if content else entry.get("summary", "")
    standfirst = entry.get("summary", "") if content else ""
    updated = _when(entry.get("updated_parsed"))
    version = int(updated.timestamp()) if (fmt is Format.ATOM and updated) else None
    return make_entry(
        AgencyItem(
            guid=entry.get("id") or entry.get("link") or "",
            version=version,
            headline=entry.get("title", ""),
            standfirst=standfirst,
            body=body,
            body_is_html=True,
            dateline="",
            subjects=tuple(subjects),
            embargo=None,
            created=_when(entry.get("published_parsed")) or updated,
            kill=kill,
            notice=text.plain_text(entry.get("summary", "")) if kill else "",
            raw=raw,
        ),
        max_item_bytes=max_item_bytes,
    )


def _tombstones(root: ET.Element, max_item_bytes: int) -> list[WireEntry | BadEntry]:
    entries: list[WireEntry | BadEntry] = []
    for element in root:
        if local(element.tag) != "deleted-entry":
            continue
        raw = ET.tostring(element, encoding="utf-8")
        comment = next((e for e in element if local(e.tag) == "comment"), None)
        try:
            entries.append(
                make_entry(
                    AgencyItem(
                        guid=element.get("ref", ""),
                        version=None,
                        headline="",
                        standfirst="",
                        body="",
                        body_is_html=True,
                        dateline="",
                        subjects=(),
                        embargo=None,
                        created=None,
                        kill=True,
                        notice="".join(comment.itertext()) if comment is not None else "",
                        raw=raw,
                    ),
                    max_item_bytes=max_item_bytes,
                )
            )
        except Exception as exc:
            entries.append(bad_entry(exc, raw, guid=element.get("ref", "")))
    return entries


def parse(data: bytes, root: ET.Element, *, max_item_bytes: int) -> ParsedFile:
    fmt = Format.ATOM if local(root.tag) == "feed" else Format.RSS
    item_tag = "entry" if fmt is Format.ATOM else "item"
    elements = [e for e in root.iter() if local(e.tag) == item_tag]
    feed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if len(feed.entries) != len(elements):
        return ParsedFile(fmt, error=f"feed has {len(elements)} <{item_tag}> elements but {len(feed.entries)} read")
    entries: list[WireEntry | BadEntry] = []
    for element, entry in zip(elements, feed.entries, strict=True):
        raw = ET.tostring(element, encoding="utf-8")
        try:
            entries.append(_entry(entry, raw, fmt, max_item_bytes))
        except Exception as exc:
            entries.append(bad_entry(exc, raw, guid=entry.get("id"), headline=entry.get("title")))
    if fmt is Format.ATOM:
        entries += _tombstones(root, max_item_bytes)
    return ParsedFile(fmt, entries)
