"""The checks every format shares when it builds an entry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from broadsheet.wire import text
from broadsheet.wire.items import ItemError, Subject, WireEntry


def make_entry(
    *,
    guid: str,
    version: int | None,
    headline: str,
    standfirst: str,
    body: str,
    body_is_html: bool,
    dateline: str,
    subjects: Iterable[Subject],
    embargo: datetime | None,
    created: datetime | None,
    kill: bool,
    notice: str,
    raw: bytes,
    max_item_bytes: int,
) -> WireEntry:
    """Validate and normalise one item, or raise ItemError with the reason the desk will read."""
    if len(raw) > max_item_bytes:
        raise ItemError(f"item is {len(raw):,} bytes, over the limit of {max_item_bytes:,} bytes per item")
    guid = text.squash(guid)
    if not guid:
        raise ItemError("item has no id (uri / guid)")
    if len(guid) > 250:
        raise ItemError("item id is longer than 250 characters")
    headline = text.truncate(text.plain_text(headline), text.HEADLINE_MAX)
    standfirst = text.truncate(text.plain_text(standfirst), text.STANDFIRST_MAX)
    body_html = text.clean_body(body, is_html=body_is_html) if body else ""
    if not kill:
        if not headline:
            raise ItemError(f"item {guid} has no headline")
        if not text.plain_text(body_html):
            raise ItemError(f"item {guid} has no body text (after removing unsafe markup)")
    return WireEntry(
        guid=guid,
        version=version,
        headline=headline,
        standfirst=standfirst,
        body_html=body_html,
        dateline=text.truncate(dateline, 120),
        subjects=tuple(dict.fromkeys(s for s in subjects if s.code or s.name)),
        embargo=embargo,
        created=created,
        kill=kill,
        notice=text.truncate(text.plain_text(notice), 400),
        raw=raw,
        content_hash=text.content_hash(headline, standfirst, body_html),
    )
