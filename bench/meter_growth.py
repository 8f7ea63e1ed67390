"""The meter as readers grow: one counted view and the store's memory per reader at 10³, 10⁵ and 10⁷ readers.

    .venv/bin/python -m bench.meter_growth [--sizes 1000,100000,10000000] [--stores redis,postgresql]
        [--server postgres://postgres@127.0.0.1:5432] [--database bench_meter]
        [--redis redis://127.0.0.1:6379/9] [--samples 2000] [--budget-minutes 12] [--keep]

For each store and each N, fills the store directly (not through HTTP) with N
distinct anonymous readers ("a:" and 22 characters, like the cookie's) in the
current month, three counted articles each, and the same N readers in the
previous month:

- PostgreSQL (`DatabaseMeterStore`): the database is (re)created and migrated,
  the two meter tables are emptied, then filled with `INSERT … SELECT … FROM
  generate_series` (about 10⁶ view rows a statement), then VACUUM ANALYZE.
  Memory is `pg_total_relation_size` of paywall_metercount and
  paywall_meterview (tables, indexes, TOAST) after the fill.
- Redis (`RedisMeterStore`, with its own key prefix `bench:meter` in the given
  database): pipelined SADD + EXPIRE per reader and month, 10,000 readers a
  round trip. The current month's keys carry the store's TTL (40 days), the
  previous month's what is left of it after that month's last day. Memory is
  the `used_memory` of `INFO memory` after the fill minus before it.

Then it times `store.consume(…, limit=10)` for --samples readers never seen
(their first counted view) and --samples existing readers opening a fourth
article, checks the answers (granted, used 1 and 4, a re-read is free and
counts nothing) and prints p50/p95/p99 in µs, bytes per reader and month, a
table per store and a JSON line.

Fill time grows with N: after the first size of at least 10⁵ the fill rate is
used to estimate each larger size, and a size whose fill would take more than
--budget-minutes is replaced by 10⁶ (said in the output and in the JSON's
"capped"), not skipped silently. The database is dropped at the end and the
bench's Redis keys deleted, unless --keep.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.renewals import recreate_database

LIMIT = 10
ARTICLES_PER_READER = 3
ARTICLE_SPAN = 5_000  # the articles a month's readers open: ids 1..5000
NEW_ARTICLE = 1_000_000  # an article no filled reader has opened yet
PG_READERS_PER_STATEMENT = 333_334  # about 10⁶ view rows per INSERT
REDIS_READERS_PER_ROUND_TRIP = 10_000
REDIS_PREFIX = "bench:meter"
CAP = 1_000_000
MEASURED_PAST_N = 100_000  # room for the new readers measure_views names after the filled ones


def reader_key(i: int) -> str:
    """The i-th reader's key; the same as the SQL `'a:' || left(md5(i::text), 22)`."""
    return "a:" + hashlib.md5(str(i).encode(), usedforsecurity=False).hexdigest()[:22]


def article_of(i: int, k: int) -> int:
    """The k-th (1..3) article reader i counted; the same as the SQL expression in `pg_fill`."""
    return 1 + (i * 7 + k * 131) % ARTICLE_SPAN


def months(now: datetime) -> tuple[str, str, datetime]:
    """The current period, the previous one, and the current one's first instant (UTC)."""
    start = datetime(now.year, now.month, 1, tzinfo=UTC)
    before = start - timedelta(days=1)
    return f"{now:%Y-%m}", f"{before:%Y-%m}", start


class TooSlow(Exception):
    """A fill whose projected time passed the budget; the caller measures CAP instead."""

    def __init__(self, projected: float) -> None:
        super().__init__(projected)
        self.projected = projected


BUDGET_S = 12 * 60.0


def progress(label: str, done: int, total: int, began: float, *, guarded: bool) -> None:
    """One progress line; for a guarded fill (N > CAP), raises TooSlow once its projected time passes BUDGET_S."""
    elapsed = time.perf_counter() - began
    rate = done / elapsed if elapsed else 0.0
    eta = (total - done) / rate if rate else 0.0
    print(
        f"  {label}: {done:,}/{total:,} readers, {rate:,.0f}/s, {elapsed:.0f}s, ~{eta:.0f}s left",
        file=sys.stderr,
        flush=True,
    )
    if guarded and elapsed + eta > BUDGET_S and done < total:
        raise TooSlow(elapsed + eta)


def percentiles(samples_ns: list[int]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ns, n=100, method="inclusive")
    return {
        "p50_us": round(cuts[49] / 1000, 1),
        "p95_us": round(cuts[94] / 1000, 1),
        "p99_us": round(cuts[98] / 1000, 1),
    }


class PostgresBench:
    name = "postgresql"

    def __init__(self) -> None:
        from broadsheet.paywall.meter import DatabaseMeterStore

        self.store = DatabaseMeterStore()

    def empty(self) -> None:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("TRUNCATE paywall_metercount, paywall_meterview")

    def fill(self, n: int, periods: list[tuple[str, datetime]]) -> dict[str, Any]:
        from django.db import connection

        self.empty()
        views = counts = 0
        began = time.perf_counter()
        total = n * len(periods)
        done = 0
        with connection.cursor() as cur:
            for period, counted_at in periods:
                for first in range(0, n, PG_READERS_PER_STATEMENT):
                    last = min(n, first + PG_READERS_PER_STATEMENT) - 1
                    cur.execute(
                        "INSERT INTO paywall_metercount (reader_key, period, used) "
                        "SELECT 'a:' || left(md5(i::text), 22), %s, %s FROM generate_series(%s, %s) i",
                        [period, ARTICLES_PER_READER, first, last],
                    )
                    counts += cur.rowcount
                    cur.execute(
                        "INSERT INTO paywall_meterview (reader_key, period, article_id, counted_at) "
                        "SELECT 'a:' || left(md5(i::text), 22), %s, 1 + (i * 7 + k * 131) %% %s, %s "
                        "FROM generate_series(%s, %s) i, generate_series(1, %s) k",
                        [period, ARTICLE_SPAN, counted_at, first, last, ARTICLES_PER_READER],
                    )
                    views += cur.rowcount
                    done += last - first + 1
                    progress(f"postgresql N={n:,} {period}", done, total, began, guarded=n > CAP)
            vacuum = time.perf_counter()
            cur.execute("VACUUM ANALYZE paywall_metercount, paywall_meterview")
            print(f"  VACUUM ANALYZE in {time.perf_counter() - vacuum:.1f}s", file=sys.stderr, flush=True)
            assert counts == total, (counts, total)
            assert views == total * ARTICLES_PER_READER, (views, total)
            cur.execute(
                "SELECT pg_total_relation_size('paywall_metercount'), pg_total_relation_size('paywall_meterview'), "
                "pg_indexes_size('paywall_metercount') + pg_indexes_size('paywall_meterview')"
            )
            count_bytes, view_bytes, index_bytes = cur.fetchone()
        return {
            "fill_seconds": round(time.perf_counter() - began, 1),
            "rows": {"metercount": counts, "meterview": views},
            "bytes": int(count_bytes) + int(view_bytes),
            "bytes_detail": {
                "metercount": int(count_bytes),
                "meterview": int(view_bytes),
                "indexes": int(index_bytes),
            },
        }

    def check_previous(self, n: int, previous: str) -> dict[str, Any]:
        used = self.store.usage(reader_key=reader_key(n // 2), period=previous)
        assert used == ARTICLES_PER_READER, used
        return {"previous_month_used": used}

    def cleanup(self, n: int, periods: list[str]) -> None:
        self.empty()


class RedisBench:
    name = "redis"

    def __init__(self, url: str, now: datetime, month_start: datetime) -> None:
        import redis

        from broadsheet.paywall.meter import PERIOD_TTL_SECONDS, RedisMeterStore

        self.store = RedisMeterStore(url)
        self.redis = redis.Redis.from_url(url)
        self.ttl = PERIOD_TTL_SECONDS
        # The previous month was last written on its last day at the latest.
        self.previous_ttl = PERIOD_TTL_SECONDS - int((now - month_start).total_seconds())
        self.current = ""

    def _key(self, i: int, period: str) -> str:
        return f"{REDIS_PREFIX}:{period}:{reader_key(i)}"

    def used_memory(self) -> int:
        return int(self.redis.info("memory")["used_memory"])

    def fill(self, n: int, periods: list[tuple[str, datetime]]) -> dict[str, Any]:
        self.current = periods[0][0]
        before = self.used_memory()
        began = time.perf_counter()
        total = n * len(periods)
        done = 0
        for period, _ in periods:
            ttl = self.ttl if period == self.current else self.previous_ttl
            for first in range(0, n, REDIS_READERS_PER_ROUND_TRIP):
                pipe = self.redis.pipeline(transaction=False)
                for i in range(first, min(n, first + REDIS_READERS_PER_ROUND_TRIP)):
                    key = self._key(i, period)
                    pipe.sadd(key, *(article_of(i, k) for k in range(1, ARTICLES_PER_READER + 1)))
                    pipe.expire(key, ttl)
                pipe.execute()
                done += min(n, first + REDIS_READERS_PER_ROUND_TRIP) - first
                if done % 500_000 == 0 or done == total or (total <= 200_000 and done % 50_000 == 0):
                    progress(f"redis N={n:,} {period}", done, total, began, guarded=n > CAP)
        after = self.used_memory()
        sample = self._key(n // 2, periods[0][0])
        return {
            "fill_seconds": round(time.perf_counter() - began, 1),
            "keys": total,
            "bytes": after - before,
            "encoding": self.redis.object("encoding", sample).decode(),
        }

    def check_previous(self, n: int, previous: str) -> dict[str, Any]:
        used = self.store.usage(reader_key=reader_key(n // 2), period=previous)
        assert used == ARTICLES_PER_READER, used
        ttl = int(self.redis.ttl(self._key(n // 2, previous)))
        assert 0 < ttl <= self.previous_ttl, ttl
        return {"previous_month_used": used, "previous_month_ttl_days": round(ttl / 86400, 1)}

    def cleanup(self, n: int, periods: list[str]) -> None:
        """Delete exactly the keys this bench wrote: the fill's, then the measured and warm-up readers' past n."""
        began = time.perf_counter()
        for period in periods:
            for first in range(0, n + MEASURED_PAST_N, REDIS_READERS_PER_ROUND_TRIP):
                last = min(n + MEASURED_PAST_N, first + REDIS_READERS_PER_ROUND_TRIP)
                self.redis.unlink(*(self._key(i, period) for i in range(first, last)))
        left = sum(1 for _ in self.redis.scan_iter(f"{REDIS_PREFIX}:*", count=10_000))
        print(f"  redis: deleted the bench's keys in {time.perf_counter() - began:.0f}s", file=sys.stderr, flush=True)
        assert left == 0, f"{left} bench keys left"


def measure_views(bench: PostgresBench | RedisBench, n: int, period: str, samples: int) -> dict[str, Any]:
    """Time one counted view for readers never seen and for existing readers opening a fourth article."""
    store = bench.store
    rng = random.Random(n)
    assert samples + 50 <= MEASURED_PAST_N, samples
    new = [n + j for j in range(samples)]
    existing = rng.sample(range(n), min(samples, n))
    # Warm the connection and the Lua script's cache on readers outside both samples.
    for j in range(50):
        store.consume(reader_key=reader_key(n + samples + j), period=period, article_id=1, limit=LIMIT)

    new_ns: list[int] = []
    for i in new:
        began = time.perf_counter_ns()
        result = store.consume(reader_key=reader_key(i), period=period, article_id=1, limit=LIMIT)
        new_ns.append(time.perf_counter_ns() - began)
        assert result.granted and not result.already_counted and result.used == 1, result
    existing_ns: list[int] = []
    for j, i in enumerate(existing):
        began = time.perf_counter_ns()
        result = store.consume(reader_key=reader_key(i), period=period, article_id=NEW_ARTICLE + j, limit=LIMIT)
        existing_ns.append(time.perf_counter_ns() - began)
        assert result.granted and not result.already_counted, result
        assert result.used == ARTICLES_PER_READER + 1, result
    # A re-read is free; the counts stuck.
    again = store.consume(reader_key=reader_key(existing[0]), period=period, article_id=NEW_ARTICLE, limit=LIMIT)
    assert again.granted and again.already_counted and again.used == ARTICLES_PER_READER + 1, again
    assert store.usage(reader_key=reader_key(new[-1]), period=period) == 1
    assert store.usage(reader_key=reader_key(existing[-1]), period=period) == ARTICLES_PER_READER + 1
    return {"new_reader": percentiles(new_ns), "existing_reader": percentiles(existing_ns)}


def cap(bench: PostgresBench | RedisBench, n: int, why: str, minutes: float) -> dict[str, Any]:
    print(f"{bench.name}: N={n:,} {why}: measuring N={CAP:,} instead", file=sys.stderr, flush=True)
    return {"asked": n, "measured": CAP, "estimated_fill_minutes": round(minutes, 1), "why": why}


def run_store(
    bench: PostgresBench | RedisBench,
    sizes: list[int],
    periods: list[tuple[str, datetime]],
    samples: int,
    keep: bool,
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    results: list[dict[str, Any]] = []
    capped: dict[str, Any] | None = None
    rate: float | None = None  # readers (both months) filled per second, from the first size >= 10⁵
    done: set[int] = set()
    for asked in sizes:
        n = asked
        if rate is not None and n > CAP and n * len(periods) / rate > BUDGET_S:
            minutes = n * len(periods) / rate / 60
            capped = cap(bench, n, f"would take ~{minutes:.0f} min to fill at {rate:,.0f} readers/s", minutes)
            n = CAP
        if n in done:
            continue
        print(f"{bench.name}: N={n:,} readers in each of {', '.join(p for p, _ in periods)}", file=sys.stderr)
        try:
            filled = bench.fill(n, periods)
        except TooSlow as slow:
            if n <= CAP:
                raise
            bench.cleanup(n, [p for p, _ in periods])
            minutes = slow.projected / 60
            capped = cap(bench, n, f"slowed down while filling (projected ~{minutes:.0f} min)", minutes)
            n = CAP
            if n in done:
                continue
            print(f"{bench.name}: N={n:,} readers in each of {', '.join(p for p, _ in periods)}", file=sys.stderr)
            filled = bench.fill(n, periods)
        if n >= 100_000 and rate is None:
            rate = n * len(periods) / max(filled["fill_seconds"], 0.1)
        readers = n * len(periods)
        views = measure_views(bench, n, periods[0][0], samples)
        result = {
            "n": n,
            **filled,
            "bytes_per_reader_month": round(filled["bytes"] / readers, 1),
            **views,
            **bench.check_previous(n, periods[1][0]),
        }
        print(
            f"{bench.name}: N={n:,} filled in {filled['fill_seconds']:.0f}s, "
            f"{result['bytes_per_reader_month']:.0f} B per reader and month; one counted view "
            f"new {views['new_reader']['p50_us']:.0f}/{views['new_reader']['p95_us']:.0f} µs, "
            f"existing {views['existing_reader']['p50_us']:.0f}/{views['existing_reader']['p95_us']:.0f} µs "
            f"(p50/p95)",
            file=sys.stderr,
            flush=True,
        )
        results.append(result)
        done.add(n)
        if not keep or asked != sizes[-1]:
            bench.cleanup(n, [p for p, _ in periods])
    return results, capped


def table(name: str, results: list[dict[str, Any]]) -> None:
    print(f"\n{name}: one counted view (µs, p50 / p95 / p99) and memory")
    print(f"{'N':>12} {'fill s':>7} {'new reader':>22} {'existing reader':>22} {'B/reader-month':>15} {'total MB':>9}")
    for r in results:
        nr, er = r["new_reader"], r["existing_reader"]
        print(
            f"{r['n']:>12,} {r['fill_seconds']:>7.0f} "
            f"{nr['p50_us']:>7.0f} {nr['p95_us']:>6.0f} {nr['p99_us']:>7.0f} "
            f"{er['p50_us']:>7.0f} {er['p95_us']:>6.0f} {er['p99_us']:>7.0f} "
            f"{r['bytes_per_reader_month']:>15.0f} {r['bytes'] / 1e6:>9.1f}"
        )
    if len(results) > 1:
        first, last = results[0], results[-1]

        def ratio(*path: str) -> float:
            a: Any = last
            b: Any = first
            for step in path:
                a, b = a[step], b[step]
            return float(a) / float(b)

        print(
            f"  N={last['n']:,} against N={first['n']:,}: new p50 x{ratio('new_reader', 'p50_us'):.2f}, "
            f"existing p50 x{ratio('existing_reader', 'p50_us'):.2f}, "
            f"bytes per reader x{ratio('bytes_per_reader_month'):.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000,10000000")
    parser.add_argument("--stores", default="redis,postgresql")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_meter")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--samples", type=int, default=2000, help="timed views per kind of reader and size")
    parser.add_argument("--budget-minutes", type=float, default=12.0, help="the longest fill tried for one size")
    parser.add_argument("--keep", action="store_true", help="keep the database and the last size's Redis keys")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    stores = [s.strip() for s in args.stores.split(",")]
    global BUDGET_S
    BUDGET_S = args.budget_minutes * 60

    recreate_database(args.server, args.database)
    for name in ("DEBUG", "REDIS_URL", "BROADSHEET_TESTING", "BROADSHEET_METER_STORE"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DATABASE_URL": f"{args.server}/{args.database}",
            "BROADSHEET_DATA_DIR": tempfile.mkdtemp(prefix="meterbench-"),
            "SECRET_KEY": os.environ.get("SECRET_KEY", "meter-bench-only"),
            "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.BROADSHEET_METER_PREFIX = REDIS_PREFIX  # the bench's Redis keys only, never the site's

    now = datetime.now(UTC)
    current, previous, month_start = months(now)
    periods = [(current, now), (previous, month_start - timedelta(hours=12))]
    output: dict[str, Any] = {"periods": [current, previous], "samples": args.samples, "stores": {}}
    try:
        for name in stores:
            bench: PostgresBench | RedisBench = (
                RedisBench(args.redis, now, month_start) if name == "redis" else PostgresBench()
            )
            results, capped = run_store(bench, sizes, periods, args.samples, args.keep)
            output["stores"][name] = {"results": results, "capped": capped}
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(args.server, args.database, drop_only=True)
    for name, store in output["stores"].items():
        table(name, store["results"])
        if store["capped"]:
            c = store["capped"]
            print(f"  N={c['asked']:,} not measured ({c['why']}); N={c['measured']:,} instead")
    print(json.dumps(output))


if __name__ == "__main__":
    main()
