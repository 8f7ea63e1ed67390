"""Meter stores: one atomic "count this view if allowed" per request.

Each store implements `consume(reader_key, period, article_id, limit)` with the
same answer as `access.consume` would give on the store's state, but atomically:
parallel requests by one reader can never open more than `limit` articles.

- DatabaseMeterStore: SQL only (SQLite or PostgreSQL). A view row is inserted
  with ON CONFLICT DO NOTHING (re-reads stop there), then the per-period
  counter is bumped with a conditional UPDATE (`used < limit`), which the
  database serialises on the counter row. If the bump fails, the transaction
  rolls back and the view row with it.
- RedisMeterStore: one Lua script over a set per reader and period.

Neither store grows without bound: a Redis key expires PERIOD_TTL_SECONDS
after its last write, and `DatabaseMeterStore.prune` deletes the rows of the
months before the last ones kept (the daily job `paywall.meter_prune` and
`broadsheet meter-prune` run it).

An anonymous view also names its network (`network_key`, "n:<keyed hash>") and
that network's ceiling: the same operation then bumps the network's counter
with the same conditional UPDATE (or in the same Lua script), and a view either
counts for both or for neither. Re-reads charge neither. See docs/adr/0002.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils.module_loading import import_string

from broadsheet.paywall import conf
from broadsheet.paywall.access import MeterResult

# A period's keys outlive the month by a little, so a late read still finds them.
PERIOD_TTL_SECONDS = 40 * 24 * 3600
# Rows of the database meter deleted per statement (a range of ids, one short transaction each).
PRUNE_CHUNK = 20_000


class MeterStore(Protocol):
    def consume(
        self,
        *,
        reader_key: str,
        period: str,
        article_id: int,
        limit: int,
        network_key: str | None = None,
        network_limit: int | None = None,
    ) -> MeterResult: ...

    def usage(self, *, reader_key: str, period: str) -> int: ...

    def merge(self, *, from_key: str, into_key: str, period: str) -> int: ...


def new_reader_id() -> str:
    return secrets.token_urlsafe(16)


class _Refused(Exception):
    def __init__(self, *, network_full: bool) -> None:
        super().__init__()
        self.network_full = network_full


_BUMP = (
    "UPDATE paywall_metercount SET used = used + 1 WHERE reader_key = %s AND period = %s AND used < %s RETURNING used"
)
_COUNTER_ROW = "INSERT INTO paywall_metercount (reader_key, period, used) VALUES (%s, %s, 0) ON CONFLICT DO NOTHING"
_VIEW_ROW = (
    "INSERT INTO paywall_meterview (reader_key, period, article_id, counted_at) "
    "VALUES (%s, %s, %s, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING"
)


def _counter_bump(cur: CursorWrapper, key: str, period: str, ceiling: int, *, network_full: bool) -> int:
    """Count one more view on a counter below its ceiling, in one conditional UPDATE; returns the new count.

    At the ceiling it raises _Refused, and the caller's transaction rolls back the view row with it."""
    cur.execute(_COUNTER_ROW, [key, period])
    cur.execute(_BUMP, [key, period, ceiling])
    row = cur.fetchone()
    if row is None:
        raise _Refused(network_full=network_full)
    return int(row[0])


@dataclass(frozen=True, slots=True)
class MeterPruned:
    views: int  # counted articles deleted
    counts: int  # per-reader (and per-network) counters deleted

    def summary(self) -> str:
        return f"{self.views:,} counted views and {self.counts:,} counters of earlier months deleted"


# (table, ids walked so far, the table's highest id)
PruneProgress = Callable[[str, int, int], None]


class DatabaseMeterStore:
    def consume(
        self,
        *,
        reader_key: str,
        period: str,
        article_id: int,
        limit: int,
        network_key: str | None = None,
        network_limit: int | None = None,
    ) -> MeterResult:
        try:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(_VIEW_ROW, [reader_key, period, article_id])
                if cur.rowcount == 0:
                    return MeterResult(
                        limit=limit, used=self._used(cur, reader_key, period), already_counted=True, granted=True
                    )
                # Counter rows are always locked reader first, network second: no two views deadlock.
                used = _counter_bump(cur, reader_key, period, limit, network_full=False)
                if network_key is not None and network_limit is not None:
                    # A refusal here rolls back the reader's view and count too.
                    _counter_bump(cur, network_key, period, network_limit, network_full=True)
                return MeterResult(limit=limit, used=used, already_counted=False, granted=True)
        except _Refused as refused:
            return MeterResult(
                limit=limit,
                used=self.usage(reader_key=reader_key, period=period),
                already_counted=False,
                granted=False,
                network_full=refused.network_full,
            )

    @staticmethod
    def _used(cur: object, reader_key: str, period: str) -> int:
        cur.execute(  # type: ignore[attr-defined]
            "SELECT used FROM paywall_metercount WHERE reader_key = %s AND period = %s", [reader_key, period]
        )
        row = cur.fetchone()  # type: ignore[attr-defined]
        return int(row[0]) if row else 0

    def usage(self, *, reader_key: str, period: str) -> int:
        with connection.cursor() as cur:
            return self._used(cur, reader_key, period)

    def merge(self, *, from_key: str, into_key: str, period: str) -> int:
        """Carry an anonymous reader's counted articles into an account; returns the new count."""
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "INSERT INTO paywall_meterview (reader_key, period, article_id, counted_at) "
                "SELECT %s, period, article_id, counted_at FROM paywall_meterview "
                "WHERE reader_key = %s AND period = %s ON CONFLICT DO NOTHING",
                [into_key, from_key, period],
            )
            cur.execute(
                "SELECT COUNT(*) FROM paywall_meterview WHERE reader_key = %s AND period = %s", [into_key, period]
            )
            total = int(cur.fetchone()[0])
            cur.execute(
                "INSERT INTO paywall_metercount (reader_key, period, used) VALUES (%s, %s, %s) "
                "ON CONFLICT (reader_key, period) DO UPDATE SET used = excluded.used",
                [into_key, period, total],
            )
        return total

    def prune(self, *, keep_from: str, chunk: int = PRUNE_CHUNK, progress: PruneProgress | None = None) -> MeterPruned:
        """Delete every view and counter of the periods before `keep_from` ("YYYY-MM").

        The tables are walked by ranges of ids, each range one short DELETE in a transaction of its own:
        readers counting views meanwhile wait for no more than one range, and an interrupted run
        leaves nothing half-done (run it again). Nothing of `keep_from` or later is touched."""
        views = self._prune_table("paywall_meterview", keep_from, chunk, progress)
        counts = self._prune_table("paywall_metercount", keep_from, chunk, progress)
        return MeterPruned(views=views, counts=counts)

    @staticmethod
    def _prune_table(table: str, keep_from: str, chunk: int, progress: PruneProgress | None) -> int:
        with connection.cursor() as cur:
            cur.execute(f"SELECT MIN(id), MAX(id) FROM {table}")  # one of our two table names
            low, high = cur.fetchone()
        if low is None:
            return 0
        removed = 0
        for start in range(int(low), int(high) + 1, chunk):
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(
                    f"DELETE FROM {table} WHERE id >= %s AND id < %s AND period < %s",
                    [start, start + chunk, keep_from],
                )
                removed += max(cur.rowcount, 0)
            if progress:
                progress(table, min(start + chunk, int(high) + 1) - int(low), int(high) + 1 - int(low))
        return removed


_CONSUME_LUA = """
local key = KEYS[1]
local article = ARGV[1]
local limit = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local network_limit = tonumber(ARGV[4])
if redis.call('SISMEMBER', key, article) == 1 then
  return {1, 1, redis.call('SCARD', key), 0}
end
local used = redis.call('SCARD', key)
if used >= limit then
  return {0, 0, used, 0}
end
if network_limit >= 0 then
  local spent = tonumber(redis.call('GET', KEYS[2]) or '0')
  if spent >= network_limit then
    return {0, 0, used, 1}
  end
  redis.call('INCR', KEYS[2])
  redis.call('EXPIRE', KEYS[2], ttl)
end
redis.call('SADD', key, article)
redis.call('EXPIRE', key, ttl)
return {0, 1, used + 1, 0}
"""

_MERGE_LUA = """
local members = redis.call('SMEMBERS', KEYS[1])
for _, m in ipairs(members) do redis.call('SADD', KEYS[2], m) end
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[1]))
return redis.call('SCARD', KEYS[2])
"""


class RedisMeterStore:
    def __init__(self, url: str | None = None) -> None:
        import redis

        self._redis = redis.Redis.from_url(url or settings.REDIS_URL)
        self._consume = self._redis.register_script(_CONSUME_LUA)
        self._merge = self._redis.register_script(_MERGE_LUA)
        self._prefix = conf.meter_prefix()

    def _key(self, reader_key: str, period: str) -> str:
        return f"{self._prefix}:{period}:{reader_key}"

    def consume(
        self,
        *,
        reader_key: str,
        period: str,
        article_id: int,
        limit: int,
        network_key: str | None = None,
        network_limit: int | None = None,
    ) -> MeterResult:
        ceiling = network_limit if network_key is not None and network_limit is not None else -1
        network = self._key(network_key or "n:none", period) + ":views"
        already, granted, used, full = self._consume(
            keys=[self._key(reader_key, period), network], args=[article_id, limit, PERIOD_TTL_SECONDS, ceiling]
        )
        return MeterResult(
            limit=limit, used=int(used), already_counted=bool(already), granted=bool(granted), network_full=bool(full)
        )

    def usage(self, *, reader_key: str, period: str) -> int:
        return int(self._redis.scard(self._key(reader_key, period)))

    def merge(self, *, from_key: str, into_key: str, period: str) -> int:
        return int(
            self._merge(keys=[self._key(from_key, period), self._key(into_key, period)], args=[PERIOD_TTL_SECONDS])
        )

    def flush(self) -> None:
        """Remove every meter key (tests and `broadsheet meter-reset`)."""
        for key in self._redis.scan_iter(f"{self._prefix}:*"):
            self._redis.delete(key)


_store: MeterStore | None = None
_store_path: str | None = None


def meter_store_get() -> MeterStore:
    """The configured store, built once per process."""
    global _store, _store_path
    path = conf.meter_store()
    if _store is None or _store_path != path:
        _store = import_string(path)()
        _store_path = path
    return _store
