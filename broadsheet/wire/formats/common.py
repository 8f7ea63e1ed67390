"""The checks every format shares when it builds an entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from broadsheet.core.text import first_surrogate, has_bidi_controls, has_controls, normalise_line
from broadsheet.wire import text
from broadsheet.wire.items import BadEntry, ItemError, Subject, WireEntry

MAX_NAMES_IN_NOTE = 12


def unreadable(exc: BaseException) -> str:
    """The desk's reason for an error no check of ours put into words."""
    if isinstance(exc, ItemError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    if isinstance(exc, MemoryError):
        return "too large to read"
    return f"could not be read ({type(exc).__name__}: {str(exc)[:300]})"


def bad_entry(exc: BaseException, raw: bytes, *, guid: object = "", headline: object = "") -> BadEntry:
    """A quarantined item with its reason, and its id and headline if they are text."""
    return BadEntry(
        reason=unreadable(exc),
        raw=raw,
        guid=text.squash(normalise_line(guid))[:250] if isinstance(guid, str) else "",
        headline=text.one_line(headline, text.HEADLINE_MAX) if isinstance(headline, str) else "",
    )


def _check_unicode(fields: dict[str, str]) -> None:
    for name, value in fields.items():
        at = first_surrogate(value)
        if at is not None:
            raise ItemError(
                f"the {name} is not valid Unicode: a lone surrogate (U+{ord(value[at]):04X}) at character {at + 1}; "
                "correct the copy and retry"
            )


def _notes(one_line: dict[str, str], body: str, removed: list[str]) -> tuple[str, ...]:
    """What normalising changed, in the desk's words (the item's reason carries them)."""
    notes = []
    plain = [text.plain_text(v) if "&" in v else v for v in one_line.values()]  # "&#x202e;" counts too
    if any(has_controls(v) for v in [*plain, body]):
        notes.append("control characters removed")
    if any(has_bidi_controls(v) for v in plain):
        notes.append("bidirectional controls removed")
    removed = [*(f"tags in the {n}" for n in ("headline", "standfirst") if text.has_tags(one_line[n])), *removed]
    if removed:
        shown = ", ".join(removed[:MAX_NAMES_IN_NOTE]) + (", …" if len(removed) > MAX_NAMES_IN_NOTE else "")
        notes.append(f"markup removed: {shown}")
    return tuple(notes)


@dataclass(frozen=True, slots=True)
class AgencyItem:
    """One item as a format read it from the agency's copy, before any check or cleaning."""

    guid: str
    version: int | None
    headline: str
    standfirst: str
    body: str
    body_is_html: bool
    dateline: str
    subjects: tuple[Subject, ...]
    embargo: datetime | None
    created: datetime | None
    kill: bool
    notice: str
    raw: bytes


def make_entry(item: AgencyItem, *, max_item_bytes: int) -> WireEntry:
    """Validate and normalise one item, or raise ItemError with the reason the desk will read.

    Text is normalised on the way in (core.text): one-line fields lose control characters and
    bidirectional controls, the body loses control characters, all of it becomes NFC. Text that
    is not valid Unicode (a lone surrogate from a broken JSON escape) cannot be stored faithfully,
    so the item is quarantined instead.
    """
    one_line = _check_readable(item, max_item_bytes)
    guid = _guid_clean(item.guid)
    headline = text.one_line(item.headline, text.HEADLINE_MAX)
    standfirst = text.one_line(item.standfirst, text.STANDFIRST_MAX)
    body_html, removed = text.clean_body(item.body, is_html=item.body_is_html) if item.body else ("", [])
    subjects = _subjects_clean(item.subjects)
    if not item.kill:
        _check_has_text(guid, headline, body_html)
    return WireEntry(
        guid=guid,
        version=item.version,
        headline=headline,
        standfirst=standfirst,
        body_html=body_html,
        dateline=text.truncate(normalise_line(item.dateline), 120),
        subjects=subjects,
        embargo=item.embargo,
        created=item.created,
        kill=item.kill,
        notice=text.one_line(item.notice, 400),
        raw=item.raw,
        content_hash=text.content_hash(headline, standfirst, body_html),
        notes=_notes(one_line, item.body, removed),
    )


def _check_readable(item: AgencyItem, max_item_bytes: int) -> dict[str, str]:
    """Refuse an item too large or not valid Unicode; returns its one-line fields as read, by name."""
    if len(item.raw) > max_item_bytes:
        raise ItemError(f"item is {len(item.raw):,} bytes, over the limit of {max_item_bytes:,} bytes per item")
    one_line = {
        "id": item.guid,
        "headline": item.headline,
        "standfirst": item.standfirst,
        "dateline": item.dateline,
        "notice": item.notice,
    }
    names = {f"subject {n}": s.code + s.name for n, s in enumerate(item.subjects, start=1)}
    _check_unicode({**one_line, "body": item.body, **names})
    return one_line


def _guid_clean(guid: str) -> str:
    guid = text.squash(normalise_line(guid))
    if not guid:
        raise ItemError("item has no id (uri / guid)")
    if len(guid) > 250:
        raise ItemError("item id is longer than 250 characters")
    return guid


def _check_has_text(guid: str, headline: str, body_html: str) -> None:
    """An item that is not a kill needs a headline and some body text."""
    if not headline:
        raise ItemError(f"item {guid} has no headline")
    if not text.plain_text(body_html):
        raise ItemError(f"item {guid} has no body text (after removing unsafe markup)")


def _subjects_clean(subjects: tuple[Subject, ...]) -> tuple[Subject, ...]:
    """Each subject in one line, the empty ones dropped, each kept once in the agency's order."""
    cleaned = (Subject(code=text.squash(normalise_line(s.code)), name=text.one_line(s.name, 200)) for s in subjects)
    return tuple(dict.fromkeys(s for s in cleaned if s.code or s.name))
