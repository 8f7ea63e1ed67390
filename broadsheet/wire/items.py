"""What a parser hands on: plain data, no Django.

A feed file parses into a `ParsedFile`: its items in order, each either a
`WireEntry` (usable) or a `BadEntry` (to be quarantined with its reason and its
original bytes), or, when the file as a whole cannot be read, a file error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Format(StrEnum):
    NINJS = "ninjs"
    NEWSML = "newsml"
    RSS = "rss"
    ATOM = "atom"


@dataclass(frozen=True, slots=True)
class Subject:
    """A subject the agency gave: an IPTC media topic (`medtop:04000000`) or a plain keyword."""

    code: str  # "medtop:04000000", or "" for a keyword / category
    name: str = ""


@dataclass(frozen=True, slots=True)
class WireEntry:
    guid: str
    version: int | None  # None: the format has no versions (RSS); content decides
    headline: str
    standfirst: str
    body_html: str  # sanitised
    dateline: str
    subjects: tuple[Subject, ...]
    embargo: datetime | None
    created: datetime | None
    kill: bool  # the agency cancelled or withdrew the item
    notice: str  # the agency's editorial note (used as the withdrawal notice)
    raw: bytes
    content_hash: str
    notes: tuple[str, ...] = ()  # what normalising changed ("markup removed: <script>"), for the desk


@dataclass(frozen=True, slots=True)
class BadEntry:
    reason: str
    raw: bytes
    guid: str = ""
    headline: str = ""  # as far as it could be read, so the desk knows which story it was


@dataclass(slots=True)
class ParsedFile:
    format: Format | None
    entries: list[WireEntry | BadEntry] = field(default_factory=list)
    error: str = ""  # set when the whole file is unreadable

    @property
    def ok(self) -> bool:
        return not self.error


class ItemError(ValueError):
    """An item is unusable; the message is the reason the desk reads."""
