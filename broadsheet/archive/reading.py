"""Reading an archive file: each line parsed and its body cleaned, here or in worker processes.

The per-line work (JSON, normalising, the digest, nh3 and normalising of the body) is
most of what an import costs in Python and needs no database. With `workers`, stretches
of lines go to that many processes while this one writes what came back before; the
lines come back in the file's order, with the same answers as read here. No database:
the importer decides what to write.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

import django

from broadsheet.archive.lines import ArchiveLine, LineRefused, body_html, line_parse

STRETCH = 250  # lines a worker is handed at a time
AHEAD = 4  # stretches in flight per worker: enough to keep them busy, few enough to bound memory


@dataclass(frozen=True, slots=True)
class ReadLine:
    number: int
    done: int  # bytes of the file read up to the end of this line
    line: ArchiveLine | None  # None: blank, or refused
    body: str | None = None  # the body cleaned (`body_html`); None when it was refused or not cleaned
    refused: str | None = None  # why the line (or, with `line` set, its body) was refused


def _read(number: int, done: int, raw: bytes, *, default_tz: tzinfo, now: datetime, clean: bool) -> ReadLine:
    if not raw.strip():
        return ReadLine(number, done, None)
    try:
        line = line_parse(raw, default_tz=default_tz, now=now)
    except LineRefused as exc:
        return ReadLine(number, done, None, refused=str(exc))
    if not clean:
        return ReadLine(number, done, line)
    try:
        return ReadLine(number, done, line, body=body_html(line.body))
    except LineRefused as exc:
        return ReadLine(number, done, line, refused=str(exc))


def _stretch_read(stretch: list[tuple[int, int, bytes]], default_tz: tzinfo, now: datetime) -> list[ReadLine]:
    """A worker's task: a stretch of lines, bodies cleaned (the importer skips the unchanged ones anyway)."""
    return [_read(n, done, raw, default_tz=default_tz, now=now, clean=True) for n, done, raw in stretch]


def _raw_lines(path: Path) -> Iterator[tuple[int, int, bytes]]:
    done = 0
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            done += len(raw)
            yield number, done, raw


def lines_read(*, path: Path, default_tz: tzinfo, now: datetime, workers: int = 0) -> Iterator[ReadLine]:
    """Every line of `path` in order. In this process (workers=0) bodies are left for the importer to
    clean once it knows a line is new or changed; workers clean every body, in parallel."""
    if workers <= 0:
        for number, done, raw in _raw_lines(path):
            yield _read(number, done, raw, default_tz=default_tz, now=now, clean=False)
        return
    # A fresh interpreter per worker (not a fork of this process and its database connection), which
    # sets Django up before it imports this module to run its first stretch.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=django.setup) as pool:
        pending: deque[Future[list[ReadLine]]] = deque()
        stretch: list[tuple[int, int, bytes]] = []
        for item in _raw_lines(path):
            stretch.append(item)
            if len(stretch) >= STRETCH:
                pending.append(pool.submit(_stretch_read, stretch, default_tz, now))
                stretch = []
                while len(pending) >= workers * AHEAD:
                    yield from pending.popleft().result()
        if stretch:
            pending.append(pool.submit(_stretch_read, stretch, default_tz, now))
        while pending:
            yield from pending.popleft().result()
