"""Every write of the wire desk: ingesting arrivals, publishing queued stories, retrying quarantine.

The parsers (`parsing`), the rules (`mapping`) and the decision (`decide`) are
pure; this module gathers what they need from the database (`context`), asks them,
and records the result; what a decision does to the newsroom's articles is in
`stories`. Items are written in chunks, one transaction each, and each item is
recorded with its file and position, so a pass killed half-way and run again
picks up where it stopped and ends as one clean run would.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from broadsheet.core import clock
from broadsheet.core.text import normalise_line, normalise_text
from broadsheet.wire import conf, fetch
from broadsheet.wire.context import Context
from broadsheet.wire.decide import Decision, Incoming, Outcome, decide
from broadsheet.wire.items import BadEntry, WireEntry
from broadsheet.wire.mapping import place
from broadsheet.wire.models import IngestRun, WireFile, WireItem, WireSource, WireStory
from broadsheet.wire.parsing import parse_bytes
from broadsheet.wire.stories import story_create, story_kill, story_update

logger = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (file name, items done, items in file)


class SourceBusy(RuntimeError):
    """Another pass holds this source."""


@dataclass
class Tally:
    """What a pass did: items per outcome, files per fate."""

    items: Counter[str] = field(default_factory=Counter)
    files: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def merge(self, other: Tally) -> None:
        self.items.update(other.items)
        self.files.update(other.files)
        self.errors += other.errors

    def as_dict(self) -> dict[str, object]:
        return {"items": dict(self.items), "files": dict(self.files), "errors": self.errors}

    def summary(self) -> str:
        items = ", ".join(f"{self.items.get(o.value, 0)} {o.value}" for o in Outcome)
        files = ", ".join(f"{n} {k}" for k, n in sorted(self.files.items())) or "no files"
        return f"{sum(self.items.values())} items: {items}. Files: {files}."


# --- one pass over a source ---------------------------------------------------------------


def source_ingest(*, source: WireSource, trigger: str = "command", progress: Progress | None = None) -> Tally:
    """One pass: fetch what is new at the source and ingest it. Raises SourceBusy if another pass runs."""
    now = clock.now()
    taken = WireSource.objects.filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now), pk=source.pk).update(
        locked_until=now + timedelta(seconds=conf.lease_seconds())
    )
    if not taken:
        raise SourceBusy(f"{source.slug} is being ingested by another pass")
    run = IngestRun.objects.create(source=source, trigger=trigger, started_at=now)
    tally = Tally()
    try:
        if source.kind == WireSource.Kind.HTTP:
            _http_pass(source, tally, progress)
        else:
            _directory_pass(source, tally, progress)
    except Exception as exc:  # the source is unreachable or missing: record it, nothing arrived
        logger.warning("wire source %s failed: %s", source.slug, exc)
        tally.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        finished = clock.now()
        result = tally.errors[-1] if tally.errors else tally.summary()
        IngestRun.objects.filter(pk=run.pk).update(
            finished_at=finished, counts=tally.as_dict(), error="\n".join(tally.errors)
        )
        WireSource.objects.filter(pk=source.pk).update(
            locked_until=None, last_polled_at=finished, last_result=result[:400]
        )
    return tally


def _directory_pass(source: WireSource, tally: Tally, progress: Progress | None) -> None:
    def known(name: str, size: int, mtime_ns: int) -> bool:
        return (
            WireFile.objects.filter(source=source, name=name, size=size, mtime_ns=mtime_ns)
            .exclude(state=WireFile.State.PROCESSING)
            .exists()
        )

    def unreadable(name: str, exc: OSError) -> None:  # not content: the file is tried again next pass
        logger.warning("wire source %s: cannot read %s: %s", source.slug, name, exc)
        tally.errors.append(f"cannot read {name}: {exc}")

    arrivals = fetch.directory_files(
        Path(source.location),
        max_file_bytes=conf.max_file_bytes(),
        quarantine=conf.quarantine_dir(),
        known=known,
        unreadable=unreadable,
    )
    for arrival in arrivals:
        tally.merge(arrival_ingest(source=source, arrival=arrival, progress=progress))


def _http_pass(source: WireSource, tally: Tally, progress: Progress | None) -> None:
    result = fetch.http_get(
        source.location,
        etag=source.etag,
        last_modified=source.last_modified,
        max_file_bytes=conf.max_file_bytes(),
        timeout=conf.http_timeout(),
        quarantine=conf.quarantine_dir(),
    )
    if result.arrival is None:
        tally.files["not modified"] += 1
        return
    tally.merge(arrival_ingest(source=source, arrival=result.arrival, progress=progress))
    WireSource.objects.filter(pk=source.pk).update(etag=result.etag[:400], last_modified=result.last_modified[:100])


# --- one file -----------------------------------------------------------------------------


def arrival_ingest(*, source: WireSource, arrival: fetch.Arrival, progress: Progress | None = None) -> Tally:
    """Ingest one file. The same bytes twice change nothing; a half-done file is resumed.

    Never raises on content: an error none of the checks foresaw quarantines the file (what its
    items already did stays done) and the pass goes on to the next file.
    """
    tally = Tally()
    wire_file, _ = WireFile.objects.get_or_create(
        source=source,
        sha256=arrival.sha256,
        defaults={
            "name": arrival.name[:1000],
            "size": arrival.size,
            "mtime_ns": arrival.mtime_ns,
            "received_at": clock.now(),
        },
    )
    if wire_file.state != WireFile.State.PROCESSING:
        if (wire_file.name, wire_file.mtime_ns) != (arrival.name[:1000], arrival.mtime_ns):
            WireFile.objects.filter(pk=wire_file.pk).update(name=arrival.name[:1000], mtime_ns=arrival.mtime_ns)
        tally.files["already ingested"] += 1
        return tally
    if arrival.data is None:
        reason = f"file is {arrival.size:,} bytes, over the limit of {conf.max_file_bytes():,} bytes per file"
        _quarantine_file(wire_file, reason, raw=None, raw_path=arrival.kept_at)
        tally.files["quarantined"] += 1
        tally.items[Outcome.QUARANTINED] += 1
        return tally
    try:
        _entries_ingest(source, arrival, wire_file, tally, progress)
    except Exception as exc:
        reason = f"could not be ingested ({type(exc).__name__}: {str(exc)[:300]})"
        logger.debug("wire file %s failed", arrival.name, exc_info=True)
        _quarantine_file(wire_file, reason, raw=arrival.data, raw_path="")
        tally.files["quarantined"] += 1
        tally.items[Outcome.QUARANTINED] += 1
    return tally


def _entries_ingest(
    source: WireSource, arrival: fetch.Arrival, wire_file: WireFile, tally: Tally, progress: Progress | None
) -> None:
    assert arrival.data is not None  # the caller quarantines oversized files
    parsed = parse_bytes(arrival.data, max_item_bytes=conf.max_item_bytes())
    if not parsed.ok:
        _quarantine_file(wire_file, parsed.error, raw=arrival.data, raw_path="")
        tally.files["quarantined"] += 1
        tally.items[Outcome.QUARANTINED] += 1
        return
    done = set(WireItem.objects.filter(file=wire_file).values_list("position", flat=True))
    ctx = Context.for_source(source)
    total, chunk = len(parsed.entries), conf.chunk_size()
    for start in range(0, total, chunk):
        batch = [(i, e) for i, e in enumerate(parsed.entries[start : start + chunk], start) if i not in done]
        if batch:
            with transaction.atomic():
                ctx.load([e for _, e in batch])
                for position, entry in batch:
                    item = entry_apply(ctx, entry=entry, wire_file=wire_file, position=position)
                    tally.items[item.state] += 1
                ctx.flush()
        if progress:
            progress(arrival.name, min(start + chunk, total), total)
    WireFile.objects.filter(pk=wire_file.pk).update(
        state=WireFile.State.DONE, format=parsed.format or "", finished_at=clock.now()
    )
    tally.files["ingested"] += 1


def _quarantine_file(wire_file: WireFile, reason: str, *, raw: bytes | None, raw_path: str) -> None:
    reason = storable(reason, multiline=True)
    logger.warning("wire file %s quarantined: %s", wire_file.name, reason)
    row = {
        "source_id": wire_file.source_id,
        "received_at": clock.now(),
        "headline": f"(unreadable file {Path(wire_file.name).name})"[:240],
        "state": Outcome.QUARANTINED,
        "reason": reason,
        "raw": raw,
        "raw_path": raw_path,
    }
    with transaction.atomic():
        if WireItem.objects.filter(file=wire_file, position=0).exists():
            # Items of the file were stored before it failed: the file's own row stands apart from them.
            WireItem.objects.create(file=wire_file, position=None, **row)
        else:
            WireItem.objects.get_or_create(file=wire_file, position=0, defaults=row)
        WireFile.objects.filter(pk=wire_file.pk).update(
            state=WireFile.State.QUARANTINED, reason=reason, finished_at=clock.now()
        )


# --- one item -----------------------------------------------------------------------------


def entry_apply(
    ctx: Context,
    *,
    entry: WireEntry | BadEntry,
    wire_file: WireFile | None,
    position: int | None,
    item: WireItem | None = None,
) -> WireItem:
    """Decide and carry out one item; record it. An unexpected error quarantines the item alone."""
    item = item or WireItem(source=ctx.source, file=wire_file, position=position, received_at=clock.now())
    if isinstance(entry, BadEntry):
        item.headline = storable(entry.headline)[:240]
        return _record(item, state=Outcome.QUARANTINED, reason=entry.reason, guid=entry.guid, raw=entry.raw)
    try:
        with transaction.atomic():
            return _carry_out(ctx, entry, _decide(ctx, entry), item)
    except Exception as exc:
        # An error no check foresaw: the desk reads the reason, the log keeps one line (the stack
        # is logged at DEBUG for whoever chases it).
        logger.debug("wire item %s could not be stored", entry.guid, exc_info=True)
        ctx.forget(entry.guid)
        return _record(
            item,
            state=Outcome.QUARANTINED,
            reason=f"could not be stored: {exc}",
            guid=entry.guid,
            raw=entry.raw,
            entry=entry,
        )


def _decide(ctx: Context, entry: WireEntry) -> Decision:
    if entry.guid not in ctx.stories:
        ctx.load([entry])
    incoming = Incoming(guid=entry.guid, version=entry.version, content_hash=entry.content_hash, kill=entry.kill)
    seen_under = ctx.hashes.get(entry.content_hash)
    return decide(
        incoming,
        ctx.known(entry.guid),
        content_seen=seen_under is not None and seen_under != entry.guid,
        auto_publish=ctx.source.auto_publish,
    )


def _carry_out(ctx: Context, entry: WireEntry, decision: Decision, item: WireItem) -> WireItem:
    outcome, reason = decision.outcome, decision.reason
    if entry.notes and outcome in (Outcome.PUBLISHED, Outcome.QUEUED, Outcome.UPDATED):
        reason = "; ".join((reason, *entry.notes))  # the desk sees why the text differs from the agency's
    story = ctx.stories.get(entry.guid)
    if outcome in (Outcome.PUBLISHED, Outcome.QUEUED):
        placement = place(
            entry.subjects,
            ctx.rules,
            source_id=ctx.source.pk,
            default_section_id=ctx.source.default_section_id,
            default_access=ctx.source.default_access,
        )
        if placement.section_id is None:
            topics = ", ".join(s.code or s.name for s in entry.subjects) or "none"
            reason = f"no section for subjects ({topics}): add a mapping rule or a default section to {ctx.source}"
            return _record(item, state=Outcome.QUARANTINED, reason=reason, guid=entry.guid, raw=entry.raw, entry=entry)
        story = story_create(ctx, entry, placement, publish=outcome is Outcome.PUBLISHED, story=story)
    elif outcome is Outcome.UPDATED and story is not None:
        story_update(story, entry)
    elif outcome is Outcome.KILLED:
        story = story_kill(ctx, entry, story)
    if story is not None:
        ctx.stories[entry.guid] = story
        if outcome is not Outcome.DUPLICATE:
            ctx.hashes[entry.content_hash] = entry.guid
    return _record(item, state=outcome, reason=reason, guid=entry.guid, story=story, entry=entry)


def _record(
    item: WireItem,
    *,
    state: Outcome,
    reason: str,
    guid: str,
    raw: bytes | None = None,
    story: WireStory | None = None,
    entry: WireEntry | None = None,
) -> WireItem:
    item.state = state
    item.reason = storable(reason, multiline=True)
    item.guid = storable(guid)[:250]
    item.story = story
    if state is Outcome.QUARANTINED:
        item.raw = raw  # a retried item keeps its original bytes for the record
        logger.warning("wire item %s from %s quarantined: %s", item.guid or "(no id)", item.source.slug, item.reason)
    if entry is not None:
        item.version = entry.version
        item.headline = (entry.headline or (f"(kill) {entry.guid}" if entry.kill else ""))[:240]
        item.content_hash = entry.content_hash
    item.save()
    return item


def storable(value: str, *, multiline: bool = False) -> str:
    """Text we wrote ourselves from hostile input (a reason, an id, a file name), safe for any database."""
    return normalise_text(value) if multiline else normalise_line(value)
