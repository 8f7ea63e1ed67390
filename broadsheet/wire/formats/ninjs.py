"""IPTC ninjs 1.x and 2.x: one JSON object per item, a JSON array of them, or JSON Lines.

1.x names the text `headline`, `body_html`/`body_text`, `description_text`, `subject`;
2.x names lists of them `headlines`, `bodies`, `descriptions`, `subjects`. Both
give `uri`, `version`, `pubstatus` (`usable`, `withheld`, `canceled`), `embargoed`
and `ednote`. A cancelled or withheld item is a kill.
"""

from __future__ import annotations

import json
from typing import Any

from broadsheet.wire import text
from broadsheet.wire.formats.common import AgencyItem, bad_entry, make_entry
from broadsheet.wire.items import BadEntry, Format, ItemError, ParsedFile, Subject, WireEntry

KILL_STATUSES = {"canceled", "cancelled", "withheld", "withdrawn"}


def _first_value(entries: Any, *, roles: tuple[str, ...] = ()) -> tuple[str, str]:
    """(value, contenttype) of the preferred entry of a 2.x list (headlines, bodies, descriptions)."""
    if not isinstance(entries, list):
        return "", ""
    candidates = [e for e in entries if isinstance(e, dict) and isinstance(e.get("value"), str)]
    for role in roles:
        for entry in candidates:
            if _text_of(entry, "role").lower().endswith(role):
                return entry["value"], _text_of(entry, "contenttype")
    if candidates:
        return candidates[0]["value"], _text_of(candidates[0], "contenttype")
    return "", ""


def _string(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemError(f"field {key!r} should be text, got {type(value).__name__}")
    return value


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ItemError(f"field {key!r} should be a list, got {type(value).__name__}")
    return value


def _text_of(entry: dict[str, Any], *keys: str) -> str:
    """The first of `keys` that holds text (a number or a list there is not a code or a name)."""
    return next((v for v in map(entry.get, keys) if isinstance(v, str) and v), "")


def _subjects(obj: dict[str, Any]) -> list[Subject]:
    found: list[Subject] = []
    for key in ("subject", "subjects"):
        for entry in _list(obj, key):
            if not isinstance(entry, dict):
                continue
            code = _text_of(entry, "code", "uri", "qcode")
            found.append(Subject(code=text.media_topic(code), name=_text_of(entry, "name")))
    for keyword in _list(obj, "keywords"):
        if isinstance(keyword, str):
            found.append(Subject(code="", name=keyword))
    return found


def _body(obj: dict[str, Any]) -> tuple[str, bool]:
    if "bodies" in obj:
        value, contenttype = _first_value(obj["bodies"], roles=("main", "body"))
        return value, "html" in contenttype or value.lstrip().startswith("<")
    if obj.get("body_html"):
        return _string(obj, "body_html"), True
    return _string(obj, "body_text"), False


def _dateline(obj: dict[str, Any]) -> str:
    for key in ("dateline", "located"):
        value = obj.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return str(value["name"])
    return ""


def entry_from_object(obj: Any, raw: bytes, *, max_item_bytes: int) -> WireEntry:
    if not isinstance(obj, dict):
        raise ItemError(f"a ninjs item is a JSON object, got {type(obj).__name__}")
    status = _string(obj, "pubstatus").lower() or "usable"
    if status not in KILL_STATUSES | {"usable"}:
        raise ItemError(f"unknown pubstatus {status!r}")
    headline = _string(obj, "headline") if "headline" in obj else _first_value(obj.get("headlines"))[0]
    if "descriptions" in obj:
        standfirst = text.plain_text(_first_value(obj["descriptions"], roles=("summary", "description"))[0])
    else:
        standfirst = _string(obj, "description_text") or text.plain_text(_string(obj, "description_html"))
    body, is_html = _body(obj)
    try:
        version = text.parse_version(obj.get("version"))
        embargo = text.parse_time(obj.get("embargoed"), name="embargoed")
        created = text.parse_time(obj.get("versioncreated") or obj.get("firstcreated"), name="versioncreated")
    except ValueError as exc:
        raise ItemError(str(exc)) from exc
    return make_entry(
        AgencyItem(
            guid=_string(obj, "uri") or _string(obj, "guid"),
            version=version,
            headline=headline,
            standfirst=standfirst,
            body=body,
            body_is_html=is_html,
            dateline=_dateline(obj),
            subjects=tuple(_subjects(obj)),
            embargo=embargo,
            created=created,
            kill=status in KILL_STATUSES,
            notice=_string(obj, "ednote"),
            raw=raw,
        ),
        max_item_bytes=max_item_bytes,
    )


def _entry_or_bad(obj: Any, raw: bytes, max_item_bytes: int) -> WireEntry | BadEntry:
    """One item; whatever goes wrong with it (a check, or an error none of ours foresaw) is its reason."""
    try:
        return entry_from_object(obj, raw, max_item_bytes=max_item_bytes)
    except Exception as exc:
        if not isinstance(obj, dict):
            return bad_entry(exc, raw)
        headline = obj.get("headline") or _first_value(obj.get("headlines"))[0]
        return bad_entry(exc, raw, guid=obj.get("uri") or obj.get("guid"), headline=headline)


def _raw(obj: Any) -> bytes:
    """An item of a JSON array as JSON of its own (escaped where it holds what UTF-8 cannot carry)."""
    try:
        return json.dumps(obj, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(obj).encode()


def _json_lines(data: bytes, max_item_bytes: int) -> list[WireEntry | BadEntry]:
    entries: list[WireEntry | BadEntry] = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as exc:
            entries.append(BadEntry(reason=f"line {number} is not valid UTF-8 ({exc.reason})", raw=line))
            continue
        except json.JSONDecodeError as exc:
            entries.append(BadEntry(reason=f"line {number} is truncated or malformed JSON: {exc.msg}", raw=line))
            continue
        except RecursionError:
            entries.append(BadEntry(reason=f"line {number} is JSON nested too deeply to read", raw=line))
            continue
        except ValueError as exc:  # e.g. a number of more than 4,300 digits
            entries.append(BadEntry(reason=f"line {number} is unreadable JSON: {exc}", raw=line))
            continue
        entries.append(_entry_or_bad(obj, line, max_item_bytes))
    return entries


def parse(data: bytes, *, max_item_bytes: int) -> ParsedFile:
    # JSON Lines (one item per line) lets one bad line be quarantined while the rest goes on.
    lines = data.lstrip().startswith(b"{") and b"\n{" in data
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        if lines:
            return ParsedFile(Format.NINJS, _json_lines(data, max_item_bytes))
        return ParsedFile(Format.NINJS, error=f"not valid UTF-8 at byte {exc.start} ({exc.reason})")
    except json.JSONDecodeError as exc:
        if lines:
            return ParsedFile(Format.NINJS, _json_lines(data, max_item_bytes))
        return ParsedFile(Format.NINJS, error=f"truncated or malformed JSON: {exc.msg} (line {exc.lineno})")
    except RecursionError:
        if lines:
            return ParsedFile(Format.NINJS, _json_lines(data, max_item_bytes))
        return ParsedFile(Format.NINJS, error="JSON nested too deeply to read")
    except ValueError as exc:  # e.g. a number of more than 4,300 digits
        if lines:
            return ParsedFile(Format.NINJS, _json_lines(data, max_item_bytes))
        return ParsedFile(Format.NINJS, error=f"unreadable JSON: {exc}")
    if isinstance(document, list):
        entries = [_entry_or_bad(obj, _raw(obj), max_item_bytes) for obj in document]
        return ParsedFile(Format.NINJS, entries)
    return ParsedFile(Format.NINJS, [_entry_or_bad(document, data, max_item_bytes)])
