"""NewsML-G2 news items: a `newsMessage` carrying `newsItem`s, or a single `newsItem`.

Read from `itemMeta`: `pubStatus` (`stat:usable`, `stat:canceled`, `stat:withheld`),
`versionCreated`, `embargoed`, `edNote`; from `contentMeta`: `headline`,
`description`, `dateline` or `located/name`, `subject` (media topics by qcode)
and `keyword`; the body from `contentSet/inlineXML` (XHTML) or `inlineData` (text).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from broadsheet.wire import text
from broadsheet.wire.formats.common import AgencyItem, bad_entry, make_entry
from broadsheet.wire.items import BadEntry, Format, ItemError, ParsedFile, Subject, WireEntry

KILL_STATUSES = {"stat:canceled", "stat:withheld"}


def local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _child(parent: ET.Element | None, name: str) -> ET.Element | None:
    if parent is None:
        return None
    for element in parent:
        if local(element.tag) == name:
            return element
    return None


def _children(parent: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if parent is None else [e for e in parent if local(e.tag) == name]


def _text(element: ET.Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def _inner_xhtml(body: ET.Element) -> str:
    """The XHTML body's children as HTML text, namespaces dropped."""
    for element in body.iter():
        element.tag = local(element.tag)
        for key in list(element.attrib):
            if "}" in key:
                element.attrib[local(key)] = element.attrib.pop(key)
    parts = [body.text or ""]
    parts += [ET.tostring(child, encoding="unicode", short_empty_elements=True) for child in body]
    return "".join(parts)


def _body(item: ET.Element) -> tuple[str, bool]:
    content = _child(item, "contentSet")
    inline = _child(content, "inlineXML")
    if inline is not None:
        html = next((e for e in inline.iter() if local(e.tag) == "body"), None)
        return _inner_xhtml(html if html is not None else inline), True
    data = _child(content, "inlineData")
    if data is not None:
        contenttype = data.get("contenttype", "text/plain")
        return _text(data), "html" in contenttype
    return "", False


def _dateline(meta: ET.Element | None) -> str:
    dateline = _text(_child(meta, "dateline"))
    return dateline or _text(_child(_child(meta, "located"), "name"))


def _subjects(meta: ET.Element | None) -> list[Subject]:
    found = [
        Subject(code=text.media_topic(s.get("qcode") or s.get("uri") or ""), name=text.squash(_text(_child(s, "name"))))
        for s in _children(meta, "subject")
    ]
    found += [Subject(code="", name=text.squash(_text(k))) for k in _children(meta, "keyword")]
    return found


def entry_from_item(item: ET.Element, raw: bytes, *, max_item_bytes: int) -> WireEntry:
    item_meta = _child(item, "itemMeta")
    meta = _child(item, "contentMeta")
    status_el = _child(item_meta, "pubStatus")
    status = (status_el.get("qcode", "stat:usable") if status_el is not None else "stat:usable").lower()
    if status not in KILL_STATUSES | {"stat:usable"}:
        raise ItemError(f"unknown pubStatus {status!r}")
    description = next(
        (d for d in _children(meta, "description") if d.get("role", "") in ("drol:summary", "")),
        _child(meta, "description"),
    )
    body, is_html = _body(item)
    try:
        version = text.parse_version(item.get("version"))
        embargo = text.parse_time(_text(_child(item_meta, "embargoed")).strip() or None, name="embargoed")
        created = text.parse_time(_text(_child(item_meta, "versionCreated")).strip() or None, name="versionCreated")
    except ValueError as exc:
        raise ItemError(str(exc)) from exc
    return make_entry(
        AgencyItem(
            guid=item.get("guid", ""),
            version=version,
            headline=_text(_child(meta, "headline")),
            standfirst=_text(description),
            body=body,
            body_is_html=is_html,
            dateline=_dateline(meta),
            subjects=tuple(_subjects(meta)),
            embargo=embargo,
            created=created,
            kill=status in KILL_STATUSES,
            notice=_text(_child(item_meta, "edNote")),
            raw=raw,
        ),
        max_item_bytes=max_item_bytes,
    )


def parse(root: ET.Element, *, max_item_bytes: int) -> ParsedFile:
    name = local(root.tag)
    if name == "newsItem":
        items = [root]
    elif name == "newsMessage":
        items = [e for e in root.iter() if local(e.tag) == "newsItem"]
    else:
        return ParsedFile(Format.NEWSML, error=f"<{name}> is not a NewsML-G2 newsMessage or newsItem")
    entries: list[WireEntry | BadEntry] = []
    for item in items:
        # An item too deep to write back out fails here, and with it the file (kept whole, quarantined).
        raw = ET.tostring(item, encoding="utf-8")
        try:
            entries.append(entry_from_item(item, raw, max_item_bytes=max_item_bytes))
        except Exception as exc:
            headline = _child(_child(item, "contentMeta"), "headline")
            entries.append(bad_entry(exc, raw, guid=item.get("guid", ""), headline=_text(headline)))
    return ParsedFile(Format.NEWSML, entries)
