"""Periodic jobs: a tiny registry the worker (`broadsheet worker`) checks every few seconds.

An app registers its jobs once, from its AppConfig.ready():

    from broadsheet.core import schedule
    from broadsheet.wire.tasks import wire_poll_due

    schedule.register("wire.poll", every=60, task=wire_poll_due)

`task` is a `django.tasks` Task taking no arguments; when a job is due the
worker enqueues it (`task.enqueue()`) and the task runs like any other, on
whichever worker picks it up. Jobs should be safe to run twice and cheap when
there is nothing to do: the schedule says "at most once per interval", not
"exactly on time".

Several workers may run at once. A job is claimed for an interval with one
atomic step before it is enqueued, so only one of them enqueues it:
  * with Redis (`REDIS_URL`), `SET key NX EX every`, which every host sees;
  * without Redis, a small file per job under `DATA_DIR/schedule/`, read and
    written under an exclusive `flock`, which every worker on the host sees
    (the same place the generation stamps live; a SQLite site is one host).
The claim stamps are the jobs' last-run times; `last_runs()` reads them.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from broadsheet.core import clock, generations


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str
    every: int  # seconds between runs
    task: Any  # a django.tasks.Task taking no arguments


_jobs: dict[str, PeriodicJob] = {}


def register(name: str, *, every: int, task: Any) -> PeriodicJob:
    """Add or replace a job. `every` is in seconds (at least 1)."""
    if every < 1:
        raise ValueError("a periodic job runs at most once a second")
    job = _jobs[name] = PeriodicJob(name=name, every=int(every), task=task)
    return job


def unregister(name: str) -> None:
    _jobs.pop(name, None)


def jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda j: j.name)


def _redis() -> Any:
    return generations._redis()  # the one Redis client the generation stamps already hold


def _key(name: str) -> str:
    return f"{settings.BROADSHEET_GENERATION_PREFIX.rsplit(':', 1)[0]}:schedule:{name}"


def _path(name: str) -> Path:
    folder = Path(settings.DATA_DIR) / "schedule"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name.replace("/", "_")


def claim(job: PeriodicJob, now: datetime | None = None) -> bool:
    """True for exactly one caller per interval of `job`: that caller runs it."""
    at = (now or clock.now()).timestamp()
    if settings.REDIS_URL:
        return bool(_redis().set(_key(job.name), repr(at), nx=True, ex=job.every))
    fd = os.open(_path(job.name), os.O_RDWR | os.O_CREAT, 0o644)
    with os.fdopen(fd, "r+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            last = float(fh.read().strip() or "-inf")
        except ValueError:
            last = float("-inf")
        if at - last < job.every:
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(repr(at))
        fh.flush()
        return True


def last_runs() -> dict[str, datetime | None]:
    """When each job was last claimed (None: never, or its Redis claim has expired)."""
    found: dict[str, datetime | None] = {}
    for job in jobs():
        raw: Any
        if settings.REDIS_URL:
            raw = _redis().get(_key(job.name))
        else:
            path = _path(job.name)
            raw = path.read_text() if path.exists() else None
        try:
            found[job.name] = datetime.fromtimestamp(float(raw), UTC) if raw else None
        except ValueError:
            found[job.name] = None
    return found


def reset(name: str) -> None:
    """Forget a job's last run, so the next check runs it (tests, operators)."""
    if settings.REDIS_URL:
        _redis().delete(_key(name))
    else:
        _path(name).unlink(missing_ok=True)


def jobs_enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose interval has passed; return their names."""
    enqueued = []
    for job in jobs():
        if claim(job, now):
            job.task.enqueue()
            enqueued.append(job.name)
    return enqueued
