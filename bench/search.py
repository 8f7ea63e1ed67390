"""Search latency at 10⁴ … 10⁶ stories: PostgreSQL (tsvector + GIN) and SQLite (FTS5).

    .venv/bin/python -m bench.search --engine postgresql [--sizes 10000,100000,1000000] [--runs 20]
        [--server postgres://postgres@127.0.0.1:5432] [--database bench_search] [--keep]
    .venv/bin/python -m bench.search --engine sqlite [--sizes 100000]

Generates the stories directly in the database: a pool of paragraphs, headlines
and standfirsts is drawn once from a 8,000-word vocabulary with a Zipf-like
(1/rank) distribution, a few real words placed at chosen ranks ("market" very
common, "monsoon" middling, "copper" rare, "turmeric" very rare) and two
phrases sown at chosen rates; each story then picks its parts from the pools by
multiplicative hashing of its number (PostgreSQL: one INSERT … SELECT over
generate_series per 50,000 stories; SQLite: executemany). The stories go in
through the ordinary table, so the index triggers build the index as they would
for an import. Dates spread over 1997 to 2026, eight sections, 10 % premium.

For each size, every query of the table runs `--runs` times through
`search_run` (the code the page calls: find, count, highlight, cut), half as an
anonymous reader and half as a subscriber, and the p50/p95 wall time per kind of
query is printed, with a JSON line at the end. The PostgreSQL database is
dropped and re-created first, and dropped at the end unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from typing import Any

VOCABULARY = 8_000
PLACED = {"market": 3, "government": 20, "monsoon": 200, "copper": 2_000, "turmeric": 7_000}
PHRASES = {"interest rates": 50, "repo rate": 500}  # sown into one paragraph in N
POOL = 4_000
CHUNK = 50_000
SECTIONS = ["india", "world", "business", "markets", "politics", "sport", "opinion", "technology"]

QUERIES: list[tuple[str, str, dict[str, Any]]] = [
    ("word, very common", "market", {}),
    ("word, common", "government", {}),
    ("word, middling", "monsoon", {}),
    ("word, rare", "copper", {}),
    ("word, very rare", "turmeric", {}),
    ("two words", "monsoon copper", {}),
    ("phrase", '"interest rates"', {}),
    ("phrase, rare", '"repo rate"', {}),
    ("exclusion", "monsoon -market", {}),
    ("filtered: section + 5 years", "monsoon", {"section": "markets", "years": (2010, 2015)}),
    ("filtered: common word + 1 year", "market", {"years": (2020, 2021)}),
    ("newest first", "monsoon", {"sort": "newest"}),
]


def _vocabulary(rng: random.Random) -> list[str]:
    consonants, vowels = "bdfghjklmnprstvz", "aeiou"
    words: set[str] = set()
    while len(words) < VOCABULARY:
        syllables = rng.randint(2, 4)
        words.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables)))
    ordered = sorted(words)
    rng.shuffle(ordered)
    for word, rank in PLACED.items():
        ordered[rank] = word
    return ordered


def _pools(seed: int = 7) -> dict[str, list[str]]:
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(VOCABULARY)]

    def words(n: int) -> list[str]:
        return rng.choices(vocab, weights=weights, k=n)

    paragraphs = []
    for i in range(POOL):
        text = words(28)
        for phrase, every in PHRASES.items():
            if i % every == 0:
                at = rng.randrange(len(text))
                text[at:at] = phrase.split()
        paragraphs.append(" ".join(text).capitalize() + ".")
    return {
        "head": [" ".join(words(8)).capitalize() for _ in range(POOL)],
        "stand": [" ".join(words(18)).capitalize() + "." for _ in range(POOL)],
        "para": paragraphs,
    }


def recreate_database(server: str, name: str, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def _section_ids() -> list[int]:
    from broadsheet.newsroom.models import Section

    return [
        Section.objects.get_or_create(slug=slug, defaults={"name": slug.title(), "position": n})[0].pk
        for n, slug in enumerate(SECTIONS)
    ]


def generate_pg(start: int, stop: int, pools: dict[str, list[str]]) -> None:
    """Stories start+1 … stop, by INSERT … SELECT over generate_series."""
    from django.db import connection

    sections = _section_ids()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_pool (kind text, n int, words text)")
        cursor.execute("SELECT count(*) FROM bench_pool")
        if cursor.fetchone()[0] == 0:
            rows = [(kind, n, text) for kind, texts in pools.items() for n, text in enumerate(texts)]
            cursor.executemany("INSERT INTO bench_pool VALUES (%s, %s, %s)", rows)
            cursor.execute("CREATE INDEX ON bench_pool (kind, n)")
        for low in range(start, stop, CHUNK):
            high = min(low + CHUNK, stop)
            cursor.execute(
                f"""
                INSERT INTO newsroom_article (headline, slug, standfirst, body, lead, section_id, desk_initials,
                    access, status, withdrawal_notice, source_digest, is_top_story, published_at, created_at,
                    modified_at)
                SELECT h.words, 'bench-' || i, s.words,
                       '<p>' || p1.words || '</p><p>' || p2.words || '</p><p>' || p3.words || '</p>',
                       '<p>' || p1.words || '</p>',
                       (%s::bigint[])[1 + i %% 8], '',
                       CASE WHEN i %% 10 = 0 THEN 'premium' WHEN i %% 10 < 3 THEN 'free' ELSE 'metered' END,
                       'published', '', '', false,
                       timestamptz '1997-01-01 00:00+00'
                         + ((i::bigint * 104729) %% 1000003) / 1000003.0 * interval '29 years',
                       now(), now()
                FROM generate_series(%s::bigint, %s::bigint) i
                JOIN bench_pool h ON h.kind = 'head' AND h.n = (i * 7919) %% {POOL}
                JOIN bench_pool s ON s.kind = 'stand' AND s.n = (i * 6007 + 11) %% {POOL}
                JOIN bench_pool p1 ON p1.kind = 'para' AND p1.n = (i * 4099 + 1) %% {POOL}
                JOIN bench_pool p2 ON p2.kind = 'para' AND p2.n = (i * 3089 + 7) %% {POOL}
                JOIN bench_pool p3 ON p3.kind = 'para' AND p3.n = (i * 2017 + 3) %% {POOL}
                """,
                [sections, low + 1, high],
            )
            _progress(high, stop)
        cursor.execute("ANALYZE newsroom_article")
        cursor.execute("ANALYZE search_entry")


def generate_sqlite(start: int, stop: int, pools: dict[str, list[str]]) -> None:
    from django.db import connection, transaction

    sections = _section_ids()
    span = (datetime(2026, 1, 1, tzinfo=UTC) - datetime(1997, 1, 1, tzinfo=UTC)).total_seconds()
    base = datetime(1997, 1, 1, tzinfo=UTC).timestamp()

    def row(i: int) -> tuple[Any, ...]:
        p = [pools["para"][(i * k + c) % POOL] for k, c in ((4099, 1), (3089, 7), (2017, 3))]
        access = "premium" if i % 10 == 0 else "free" if i % 10 < 3 else "metered"
        when = datetime.fromtimestamp(base + ((i * 104729) % 1000003) / 1000003 * span, tz=UTC)
        stamp = when.isoformat(sep=" ")
        body = "".join(f"<p>{x}</p>" for x in p)
        return (
            pools["head"][(i * 7919) % POOL],
            f"bench-{i}",
            pools["stand"][(i * 6007 + 11) % POOL],
            body,
            f"<p>{p[0]}</p>",
            sections[i % 8],
            "",
            access,
            "published",
            "",
            "",
            False,
            stamp,
            stamp,
            stamp,
        )

    for low in range(start, stop, CHUNK):
        high = min(low + CHUNK, stop)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO newsroom_article (headline, slug, standfirst, body, lead, section_id, desk_initials, "
                "access, status, withdrawal_notice, source_digest, is_top_story, published_at, created_at, "
                "modified_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [row(i) for i in range(low + 1, high + 1)],
            )
        _progress(high, stop)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _progress(done: int, stop: int) -> None:
    print(f"  generated {done:,} of {stop:,}", file=sys.stderr, flush=True)


def _readers() -> list[Any]:
    from broadsheet.paywall.access import ReaderFacts

    return [
        ReaderFacts(is_staff=False, is_registered=False, benefits=frozenset()),
        ReaderFacts(is_staff=False, is_registered=True, benefits=frozenset({"premium"})),
    ]


def _filters(options: dict[str, Any]) -> Any:
    from broadsheet.newsroom.models import Section
    from broadsheet.search.engines.base import Filters

    years = options.get("years")
    return Filters(
        section_id=Section.objects.get(slug=options["section"]).pk if "section" in options else None,
        published_from=datetime(years[0], 1, 1, tzinfo=UTC) if years else None,
        published_before=datetime(years[1], 1, 1, tzinfo=UTC) if years else None,
    )


def measure(size: int, runs: int) -> dict[str, Any]:
    from broadsheet.search.engines.base import Sort
    from broadsheet.search.query import parse
    from broadsheet.search.selectors import search_run

    now = datetime(2026, 6, 1, tzinfo=UTC)
    readers = _readers()
    out: dict[str, Any] = {"size": size, "queries": {}}
    for kind, text, options in QUERIES:
        query, filters = parse(text), _filters(options)
        sort = Sort(options.get("sort", "relevance"))
        search_run(query=query, reader=readers[0], now=now, filters=filters, sort=sort)  # warm the caches
        times, total = [], 0
        for n in range(runs):
            started = time.perf_counter()
            page = search_run(query=query, reader=readers[n % 2], now=now, filters=filters, sort=sort)
            times.append((time.perf_counter() - started) * 1000)
            total = page.total
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        out["queries"][kind] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1), "hits": total}
        print(f"  {size:>9,}  {kind:<32} p50 {statistics.median(times):8.1f} ms  p95 {p95:8.1f} ms  hits {total:>5,}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--sizes", default="")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_search")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--resume", action="store_true", help="add to the stories a kept database already has")
    parser.add_argument(
        "--timeout-ms", type=int, default=0, help="the search time limit (BROADSHEET_SEARCH_TIMEOUT_MS); 0: none"
    )
    args = parser.parse_args()
    default = "10000,100000,1000000" if args.engine == "postgresql" else "100000"
    sizes = sorted(int(s) for s in (args.sizes or default).split(","))

    data_dir = tempfile.mkdtemp(prefix="searchbench-")
    for name in ("DEBUG", "REDIS_URL", "BROADSHEET_TESTING", "DATABASE_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "BROADSHEET_DATA_DIR": data_dir,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "search-bench-only"),
            "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
            "BROADSHEET_SEARCH_TIMEOUT_MS": str(args.timeout_ms),
        }
    )
    if args.engine == "postgresql":
        if not args.resume:
            recreate_database(args.server, args.database)
        os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    import django

    django.setup()
    from django.core.management import call_command

    from broadsheet.newsroom.models import Article, Publication

    call_command("migrate", verbosity=0)
    if not Publication.objects.exists():
        Publication.objects.create(name="The Bench Gazette", legal_name="Bench Gazette Pvt Ltd")
    pools = _pools()
    generate = generate_pg if args.engine == "postgresql" else generate_sqlite
    results = []
    try:
        done = Article.objects.count() if args.resume else 0
        for size in sizes:
            if size < done:
                continue
            started = time.perf_counter()
            if size > done:
                generate(done, size, pools)
            seconds = time.perf_counter() - started
            rate = (size - done) / seconds if seconds else 0.0
            print(f"{args.engine}: {size:,} stories ({size - done:,} new in {seconds:.0f} s, {rate:,.0f} stories/s)")
            done = size
            result = measure(size, args.runs)
            result["generated_per_s"] = round(rate)
            results.append(result)
    finally:
        from django.db import connections

        connections.close_all()
        if args.engine == "postgresql" and not args.keep:
            recreate_database(args.server, args.database, drop_only=True)
    print(json.dumps({"engine": args.engine, "results": results}))


if __name__ == "__main__":
    main()
