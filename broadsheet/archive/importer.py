"""`broadsheet import-archive FILE.jsonl`: the publisher's back catalogue, in batches.

Each line is checked on its own (`lines.line_parse`); a bad line is reported with its
number and reason and the rest go on. Good lines are resolved to sections, authors and
agencies and handed, a batch at a time, to the newsroom's one bulk writer
(`newsroom.archive_import.articles_bulk_write`), which inserts the new, updates the
changed and leaves the unchanged alone: the import is idempotent by source id.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from django.db import connection
from django.utils.text import slugify

from broadsheet.archive.lines import ArchiveLine, LineRefused, body_html
from broadsheet.archive.reading import ReadLine, lines_read
from broadsheet.archive.writing import Writers
from broadsheet.core import clock
from broadsheet.newsroom.archive_import import ArchiveStory, BulkWritten, articles_bulk_write, articles_digests
from broadsheet.newsroom.models import Agency, Author, Section
from broadsheet.newsroom.selectors import publication_get

BATCH = 1000
# Batches the command writes at once on PostgreSQL, each on a connection of its own: most of what a
# new story costs is the server's `to_tsvector` of its body, done by the one server process serving
# a connection (docs/benchmarks.md, archive import).
WRITERS = 2


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(slots=True)
class ImportReport:
    lines: int = 0  # lines read, blank ones included
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # every article written

    def add(self, written: BulkWritten) -> None:
        self.created += len(written.created)
        self.updated += len(written.updated)
        self.unchanged += written.unchanged
        self.ids += written.ids

    @property
    def stories(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return (
            f"{self.lines:,} lines: {self.created:,} stories added, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged, {len(self.errors):,} refused"
        )


Progress = Callable[[int, ImportReport], None]  # (bytes read so far, the report so far)


class Names:
    """The newsroom's sections, agencies and authors by the names an archive file uses."""

    def __init__(self, *, create_missing: bool) -> None:
        self.create_missing = create_missing
        self.sections: dict[str, int] = {}
        for pk, slug, name in Section.objects.values_list("pk", "slug", "name"):
            self.sections[slug.lower()] = pk
            self.sections.setdefault(name.lower(), pk)
        self.agencies = {code.upper(): pk for pk, code in Agency.objects.values_list("pk", "code")}
        self.authors = {slug: pk for pk, slug in Author.objects.values_list("pk", "slug")}
        self._slugs: dict[str, str] = {}

    def section(self, name: str) -> int:
        key = name.lower()
        if key not in self.sections:
            if not self.create_missing:
                raise LineRefused(f"no section {name!r} (add it in the desk, or run with --create-missing)")
            slug = slugify(name)[:80] or "archive"
            section, _ = Section.objects.get_or_create(slug=slug, defaults={"name": name[:80], "show_in_nav": False})
            self.sections[key] = section.pk
        return self.sections[key]

    def agency(self, code: str | None) -> int | None:
        if code is None:
            return None
        key = code.upper()
        if key not in self.agencies:
            if not self.create_missing:
                raise LineRefused(f"no agency coded {code!r} (add it in the desk, or run with --create-missing)")
            agency, _ = Agency.objects.get_or_create(code=key, defaults={"name": code})
            self.agencies[key] = agency.pk
        return self.agencies[key]

    def authors_ensure(self, lines: Iterable[ArchiveLine]) -> None:
        """Create the authors a batch names that the newsroom does not know yet, in one statement."""
        missing: dict[str, str] = {}
        for line in lines:
            for name in line.authors:
                slug = self.author_slug(name)
                if slug not in self.authors:
                    missing.setdefault(slug, name)
        if missing:
            Author.objects.bulk_create([Author(slug=s, name=n) for s, n in missing.items()], ignore_conflicts=True)
            self.authors.update(Author.objects.filter(slug__in=missing).values_list("slug", "pk"))

    def author_slug(self, name: str) -> str:
        if name not in self._slugs:
            self._slugs[name] = slugify(name)[:120] or "author"
        return self._slugs[name]

    def author_ids(self, names: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.authors[self.author_slug(n)] for n in names)


def archive_import(
    *,
    path: Path,
    batch_size: int = BATCH,
    create_missing: bool = False,
    progress: Progress | None = None,
    workers: int = 0,
    writers: int = 0,
) -> ImportReport:
    """Import every good line of `path`; the report lists each bad one with its number and reason.

    With `workers`, lines are parsed and cleaned in that many processes while this one writes. With
    `writers`, on PostgreSQL, that many batches are written at once on connections of their own (not
    inside a transaction of the caller's, which they could not see; SQLite takes one writer at a time)."""
    now = clock.now()
    default_tz = zoneinfo.ZoneInfo(publication_get().time_zone)
    names = Names(create_missing=create_missing)
    report = ImportReport()
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
    written: Writers[BulkWritten] = Writers(writers if parallel else 0)
    write = partial(batch_write, names=names, report=report, at=now, writers=written)
    done = 0
    try:
        reads = lines_read(path=path, default_tz=default_tz, now=now, workers=workers)
        done = lines_batch(reads, report=report, batch_size=batch_size, write=write, progress=progress)
        for bulk in written.finish():
            report.add(bulk)
    finally:
        written.stop()
    if progress:
        progress(done, report)
    report.errors.sort(key=lambda e: e.line)
    return report


def lines_batch(
    reads: Iterable[ReadLine],
    *,
    report: ImportReport,
    batch_size: int,
    write: Callable[[list[ReadLine]], None],
    progress: Progress | None,
) -> int:
    """Hand the good lines to `write` a batch at a time, then what is left; returns the bytes read.

    A refused line, or one whose source id an earlier line already had, goes into the report."""
    seen: dict[str, int] = {}  # source id → the line it was first read on
    batch: list[ReadLine] = []
    done = 0
    for read in reads:
        report.lines, done = read.number, read.done
        if not _line_take(read, seen=seen, report=report):
            continue
        batch.append(read)
        if len(batch) >= batch_size:
            write(batch)
            batch = []
            if progress:
                progress(done, report)
    write(batch)
    return done


def _line_take(read: ReadLine, *, seen: dict[str, int], report: ImportReport) -> bool:
    """Whether a line goes into a batch; if not, and it is not blank, why not goes into the report."""
    line = read.line
    if line is None:
        if read.refused:
            report.errors.append(LineError(read.number, read.refused))
        return False
    if line.source_id in seen:
        first = seen[line.source_id]
        report.errors.append(LineError(read.number, f"source_id {line.source_id!r} is already on line {first}"))
        return False
    seen[line.source_id] = read.number
    return True


def batch_write(
    batch: list[ReadLine], *, names: Names, report: ImportReport, at: datetime, writers: Writers[BulkWritten]
) -> None:
    """Resolve a batch's names (refusing the lines whose section or agency is unknown) and hand it to
    the writers; what they have written by now goes into the report."""
    if not batch:
        return
    lines = [(read, line) for read in batch if (line := read.line) is not None]
    known = articles_digests(source_ids=[line.source_id for _, line in lines])
    fresh = [(read, line) for read, line in lines if known.get(line.source_id) != line.digest]
    report.unchanged += len(lines) - len(fresh)  # the same line as last time: not even cleaned again
    names.authors_ensure(line for _, line in fresh)
    stories = []
    for read, line in fresh:
        try:
            if read.refused:  # a worker found the body empty once cleaned
                raise LineRefused(read.refused)
            stories.append(story_of(line, names=names, body=read.body))
        except LineRefused as exc:
            report.errors.append(LineError(read.number, str(exc)))
    if stories:
        for written in writers.submit(partial(articles_bulk_write, stories=stories, at=at)):
            report.add(written)


def story_of(line: ArchiveLine, *, names: Names, body: str | None = None) -> ArchiveStory:
    """The story a line makes; `body` is its body already cleaned, if a worker did it."""
    return ArchiveStory(
        source_id=line.source_id,
        digest=line.digest,
        headline=line.headline,
        standfirst=line.standfirst,
        body=body if body is not None else body_html(line.body),
        section_id=names.section(line.section),
        author_ids=names.author_ids(line.authors),
        agency_id=names.agency(line.agency),
        published_at=line.published_at,
        access=line.access,
    )
