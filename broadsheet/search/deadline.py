"""A time limit on every search, so that no query, however it is worded, holds a web worker for long.

PostgreSQL cancels a statement past `statement_timeout`; the limit is set for the
search's own transaction (a savepoint when the request already has one) and put
back afterwards. SQLite has no such setting: a progress handler, called every few
thousand virtual-machine steps, interrupts the statement once the time is up.
Either way the search raises `SearchTooSlow`, which the page and the API turn
into advice (fewer or rarer words, a date range), never an error page.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.backends.utils import CursorWrapper

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout
SQLITE_STEPS = 5000  # virtual-machine instructions between two looks at the clock


class SearchTooSlow(Exception):
    """The search ran past its time limit and was stopped."""


def search_timeout_ms() -> int:
    return int(settings.BROADSHEET_SEARCH_TIMEOUT_MS)


@contextmanager
def search_deadline(ms: int | None = None) -> Iterator[None]:
    """Run the body's queries under a limit of `ms` milliseconds (the setting by default; 0: none)."""
    ms = search_timeout_ms() if ms is None else ms
    if connection.vendor == "postgresql":
        with _postgres_deadline(ms):
            yield
    elif ms <= 0:
        yield
    elif connection.vendor == "sqlite":
        with _sqlite_deadline(ms):
            yield
    else:
        yield


# Settings for the search's own transaction besides the time limit: no JIT (compiling the plan
# costs more than these short queries run), no parallel workers (starting them costs more than they
# save on a few thousand rows, and they take the cores other requests need), and room to sort a few
# thousand candidates in memory.
SEARCH_SETTINGS = {"jit": "off", "max_parallel_workers_per_gather": "0", "work_mem": "32MB"}
SETTINGS = ("statement_timeout", *SEARCH_SETTINGS)


@contextmanager
def _postgres_deadline(ms: int) -> Iterator[None]:
    wanted = {**SEARCH_SETTINGS, "statement_timeout": f"{ms}ms" if ms > 0 else None}
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT " + ", ".join(f"current_setting('{name}')" for name in SETTINGS))
                before = dict(zip(SETTINGS, cursor.fetchone(), strict=True))
                _settings_put(cursor, {k: v for k, v in wanted.items() if v is not None})
            yield
            with connection.cursor() as cursor:
                _settings_put(cursor, before)  # a request's own transaction goes on without them
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED:
            raise SearchTooSlow from error
        raise


def _settings_put(cursor: CursorWrapper, values: dict[str, str]) -> None:
    names = list(values)
    sql = "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names)
    cursor.execute(sql, [x for name in names for x in (name, values[name])])


@contextmanager
def _sqlite_deadline(ms: int) -> Iterator[None]:
    connection.ensure_connection()
    raw = connection.connection
    stop_at = time.monotonic() + ms / 1000
    stopped = False

    def past_deadline() -> int:
        nonlocal stopped
        stopped = time.monotonic() > stop_at
        return 1 if stopped else 0

    raw.set_progress_handler(past_deadline, SQLITE_STEPS)
    try:
        yield
    except OperationalError as error:
        if stopped:
            raise SearchTooSlow from error
        raise
    finally:
        raw.set_progress_handler(None, 0)
