"""What happens to one arriving item: a pure function, no Django, no clock.

`decide(incoming, known, ...)` answers with one of the outcomes every item ends
in (quarantine is decided earlier, by the parser):

| the item | the story we hold | outcome |
| --- | --- | --- |
| kill notice | any, or none yet | KILL (a kill for an unknown id leaves a tombstone) |
| any | killed earlier | DUPLICATE ("the story was killed") |
| new id, content already carried for another id | none | DUPLICATE |
| new id | none | PUBLISH (auto-publish source) or QUEUE |
| same id, same version | held | DUPLICATE |
| same id, older version | held | DUPLICATE ("older than the version we carry") |
| same id, newer version (or unversioned) with changed text | held | UPDATE |
| same id, newer version, same text | held | DUPLICATE |
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Outcome(StrEnum):
    PUBLISHED = "published"
    QUEUED = "queued"
    UPDATED = "updated"
    KILLED = "killed"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"


@dataclass(frozen=True, slots=True)
class Incoming:
    guid: str
    version: int | None
    content_hash: str
    kill: bool


@dataclass(frozen=True, slots=True)
class Known:
    """The story we already hold for this agency id."""

    version: int | None
    content_hash: str
    killed: bool


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    reason: str


def decide(incoming: Incoming, known: Known | None, *, content_seen: bool, auto_publish: bool) -> Decision:
    """`content_seen`: the same text is already carried under another id of this agency."""
    if known is not None and known.killed:
        return Decision(Outcome.DUPLICATE, "the story was killed; later copies are dropped")
    if incoming.kill:
        if known is None:
            return Decision(Outcome.KILLED, "kill for an id we never carried; later copies will be dropped")
        return Decision(Outcome.KILLED, "the agency withdrew the story")
    if known is None:
        if content_seen:
            return Decision(Outcome.DUPLICATE, "same text as a story already carried under another id")
        if auto_publish:
            return Decision(Outcome.PUBLISHED, "new story, source publishes automatically")
        return Decision(Outcome.QUEUED, "new story, waiting for a wire editor")
    if incoming.version is not None and known.version is not None:
        if incoming.version == known.version:
            return Decision(Outcome.DUPLICATE, f"same id and version ({incoming.version})")
        if incoming.version < known.version:
            return Decision(Outcome.DUPLICATE, f"version {incoming.version} is older than version {known.version}")
    if incoming.content_hash == known.content_hash:
        return Decision(Outcome.DUPLICATE, "same id and same text")
    return Decision(Outcome.UPDATED, "newer version replaces the story")


def after(incoming: Incoming, known: Known | None, decision: Decision) -> Known | None:
    """The story we hold once the decision is carried out (what the services write)."""
    if decision.outcome is Outcome.KILLED:
        base = known or Known(version=incoming.version, content_hash=incoming.content_hash, killed=True)
        return replace(base, killed=True)
    if decision.outcome in (Outcome.PUBLISHED, Outcome.QUEUED, Outcome.UPDATED):
        version = incoming.version if incoming.version is not None else (known.version if known else None)
        return Known(version=version, content_hash=incoming.content_hash, killed=False)
    return known
