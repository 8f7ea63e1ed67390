"""Renewal throughput: one renewal run over 10³, 10⁴ and 10⁵ due subscriptions on PostgreSQL.

    .venv/bin/python -m bench.renewals [--sizes 1000,10000,100000] [--database bench_h5]
        [--server postgres://postgres@127.0.0.1:5432] [--keep] [--profile] [--shares N]

With --profile, BENCH_SORT (tottime, cumtime…) and BENCH_LINES shape the cProfile listing.

Creates the database (dropped first if it exists, and again at the end unless
--keep), migrates it, and for each size: empties the tables, bulk-inserts N
readers with an active monthly subscription on the test gateway whose period
ends in 30 minutes, a succeeding mandate, and the pre-debit notice sent 25
hours ago (so every row is due for its charge), then times one `renewal_run`
(the code the worker and `manage.py renew` run). Each renewal is the whole
thing: payment row and key, the test gateway's charge (its books are a table in
the same database, asked with `charge_many`), the lifecycle step and ledger
entry, the GST invoice (its number from the sequence row's block), and the
"renewed" mail (the file backend, into a temporary directory), recorded by
`renewals_settle.payments_settle_succeeded_many` per chunk of 500. Prints renewals/s and queries per renewal per
size, checks that every row was charged once, and prints a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
ANCHOR = datetime(2027, 2, 1, 10, 30, tzinfo=UTC)  # its first period ends at NOW + 30 min
CHUNK = 5_000
PROFILE = False
SHARES = 1  # processes a run is split into (--shares)
UNUSABLE = "!"  # Django's marker for an account that cannot log in with a password


def recreate_database(server: str, name: str, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(n: int) -> None:
    """N due subscriptions, as a checkout and the notice step would have left them."""
    from django.db import connection

    from broadsheet.billing.models import BillingNotice, Plan, Subscription
    from broadsheet.readers.models import User

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE billing_payment, billing_invoice, billing_invoicesequence, billing_ledgerentry, "
            "billing_billingnotice, billing_testgatewaycharge, billing_subscription, readers_user "
            "RESTART IDENTITY CASCADE"
        )
    plan = Plan.objects.get(slug="bench-monthly")
    end = NOW + timedelta(minutes=30)
    for start in range(0, n, CHUNK):
        users = User.objects.bulk_create(
            [User(email=f"bench{i}@example.com", password=UNUSABLE) for i in range(start, min(n, start + CHUNK))]
        )
        subs = Subscription.objects.bulk_create(
            [
                Subscription(
                    user=user,
                    plan=plan,
                    status="active",
                    anchor=ANCHOR,
                    started_at=ANCHOR,
                    period=0,
                    period_months=1,
                    current_period_start=ANCHOR,
                    access_from=ANCHOR,
                    current_period_end=end,
                    access_until=end,
                    gateway="test",
                    mandate_ref=f"mandate_bench_{user.pk}",
                    customer_ref=f"cust_{user.pk}",
                    buyer_state="Maharashtra",
                )
                for user in users
            ]
        )
        BillingNotice.objects.bulk_create(
            [
                BillingNotice(
                    subscription=sub, kind="pre_debit", key="p1", sent_at=NOW - timedelta(hours=25), to=user.email
                )
                for sub, user in zip(subs, users, strict=True)
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Statements:
    """A database execute wrapper that counts the statements sent."""

    def __init__(self) -> None:
        self.seen = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.seen += 1
        return execute(sql, params, many, context)


def _share_run(index: int) -> tuple[dict[str, int], int, float]:
    """One share of the run, in a process of its own: its summary, statements and CPU seconds."""
    from django.db import connection

    from broadsheet.billing.renewals.run import Share, renewal_run

    count = Statements()

    def progress(done: int, total: int, summary: Any) -> None:
        if done % 10_000 == 0 or done == total:
            print(f"  share {index}: {done}/{total}, {summary.charged} charged", file=sys.stderr, flush=True)

    cpu = time.process_time()
    with connection.execute_wrapper(count):
        summary = renewal_run(now=NOW, share=Share(index, SHARES), progress=progress)
    connection.close()
    return summary.as_dict(), count.seen, time.process_time() - cpu


def _shares_run(shares: int) -> tuple[Any, int, float]:
    """The run split in `shares` processes side by side (as BROADSHEET_RENEWAL_SHARES splits the worker's)."""
    import multiprocessing

    from django.db import connections

    from broadsheet.billing.renewals.run import RenewalSummary

    connections.close_all()  # each process opens its own
    with multiprocessing.get_context("fork").Pool(shares) as pool:
        parts = pool.map(_share_run, range(shares))
    total = RenewalSummary()
    for part, _, _ in parts:
        for name, value in part.items():
            setattr(total, name, getattr(total, name) + value)
    print(f"  {shares} shares: {[p[0]['charged'] for p in parts]} charged", file=sys.stderr, flush=True)
    return total, sum(p[1] for p in parts), sum(p[2] for p in parts)


def measure(n: int) -> dict[str, Any]:
    from django.db import connection

    from broadsheet.billing.models import Invoice, Payment, TestGatewayCharge
    from broadsheet.billing.renewals.run import renewal_run

    began = time.perf_counter()
    seed(n)
    print(f"N={n}: seeded in {time.perf_counter() - began:.1f}s", file=sys.stderr, flush=True)
    count = Statements()

    def progress(done: int, total: int, summary: Any) -> None:
        if done % 10_000 == 0 or done == total:
            rate = summary.charged / (time.perf_counter() - began)
            print(f"  {done}/{total}: {summary.charged} charged, ~{rate:,.0f}/s", file=sys.stderr, flush=True)

    began = time.perf_counter()
    cpu = time.process_time()
    if SHARES > 1:
        summary, queries, cpu = _shares_run(SHARES)
    else:
        with connection.execute_wrapper(count):
            if PROFILE:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                summary = profiler.runcall(renewal_run, now=NOW, progress=progress)
                pstats.Stats(profiler, stream=sys.stderr).sort_stats(
                    os.environ.get("BENCH_SORT", "tottime")
                ).print_stats(int(os.environ.get("BENCH_LINES", "25")))
            else:
                summary = renewal_run(now=NOW, progress=progress)
        cpu, queries = time.process_time() - cpu, count.seen
    elapsed = time.perf_counter() - began
    assert summary.charged == n, summary
    assert Payment.objects.filter(kind="renewal", status="succeeded").count() == n
    assert TestGatewayCharge.objects.count() == n
    assert Invoice.objects.filter(series="INV").count() == n
    result = {
        "n": n,
        "seconds": round(elapsed, 2),
        "renewals_per_second": round(n / elapsed),
        "queries_per_renewal": round(queries / n, 1),
        "python_cpu_ms_per_renewal": round(cpu * 1000 / n, 2),
    }
    print(
        f"N={n}: {n} renewals in {elapsed:.1f}s = {n / elapsed:,.0f}/s, {queries / n:.1f} queries "
        f"and {cpu * 1000 / n:.2f} ms of Python CPU each",
        file=sys.stderr,
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_renewals")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each run")
    parser.add_argument("--shares", type=int, default=1, help="split each run into N processes side by side")
    args = parser.parse_args()
    global PROFILE, SHARES
    PROFILE = args.profile
    SHARES = max(1, args.shares)
    sizes = [int(s) for s in args.sizes.split(",")]

    recreate_database(args.server, args.database)
    data_dir = tempfile.mkdtemp(prefix="renewbench-")
    for name in ("DEBUG", "REDIS_URL", "EMAIL_BACKEND", "BROADSHEET_TESTING"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DATABASE_URL": f"{args.server}/{args.database}",
            "BROADSHEET_DATA_DIR": data_dir,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "renewal-bench-only"),
            "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    from broadsheet.billing.models import Plan
    from broadsheet.newsroom.models import Publication

    call_command("migrate", verbosity=0)
    Publication.objects.create(name="The Bench Gazette", legal_name="Bench Gazette Pvt Ltd")
    Plan.objects.create(name="Bench Monthly", slug="bench-monthly", price_minor=30_000, period_months=1)
    try:
        results = [measure(n) for n in sizes]
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(args.server, args.database, drop_only=True)
    print(json.dumps({"database": "postgresql", "mail": "filebased", "results": results}))


if __name__ == "__main__":
    main()
