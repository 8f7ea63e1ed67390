"""Archive import throughput: `broadsheet import-archive` on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.archive_import [--stories 50000] [--batch 1000] [--only sqlite|postgres]
        [--workers N] [--writers N]
        [--server postgres://postgres@127.0.0.1:5432] [--database broadsheet_archivebench]

Writes a JSON Lines file of generated stories (about 2 KB of body each, three paragraphs
of HTML, one or two bylines, a fifth of them agency copy, dates from 1997 on), then, for
each database, in a process of its own: a fresh database (SQLite in a temporary data
directory; on PostgreSQL the database `--database`, dropped first and at the end),
migrated, three runs of the code behind the command:

1. every story new (the first import),
2. the same file again (every line unchanged: nothing is written),
3. the file with every tenth line changed (those stories updated).

Prints stories/s (wall clock) and CPU seconds per 1,000 stories for each run, as JSON. `--workers`
and `--writers` are the command's options (defaults as the command's: no worker, 2 writers on
PostgreSQL); the importer's CPU includes its workers', the server's that of every connection.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DB_NAME = "broadsheet_archivebench"
SENTENCE = (
    "The committee heard from growers, traders and the transport department before it set the new rates, "
    "and its report will go to the cabinet next week. "
)
SECTIONS = ("india", "economy", "markets", "companies", "world")


def line(n: int, *, changed: bool = False) -> str:
    body = "".join(f"<p>Paragraph {i} of archive story {n}. {SENTENCE * 4}</p>" for i in range(3))
    wire = n % 5 == 0
    story = {
        "source_id": f"bench-{n:08d}",
        "headline": f"Archive story {n}: the committee sets new rates{' again' if changed else ''}",
        "standfirst": f"The summary of archive story {n}, as the desk wrote it.",
        "body": body,
        "section": SECTIONS[n % len(SECTIONS)],
        "authors": [] if wire else [f"Writer {n % 40}", *([f"Writer {(n + 7) % 40}"] if n % 3 == 0 else [])],
        "agency": "BW" if wire else None,
        "published_at": f"{1997 + n % 29}-{1 + n % 12:02d}-{1 + n % 28:02d}T{6 + n % 16:02d}:30:00+05:30",
        "access": ("metered", "premium", "free")[n % 3],
    }
    return json.dumps(story)


def write_file(path: Path, count: int, *, change_every: int = 0) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for n in range(count):
            fh.write(line(n, changed=bool(change_every) and n % change_every == 0) + "\n")


def recreate_database(server: str, name: str, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def server_cpu(connection: object) -> float:
    """CPU seconds the PostgreSQL backend serving this connection has used (0 for SQLite, which runs
    in this process, or when the server is on another machine)."""
    if getattr(connection, "vendor", "") != "postgresql":
        return 0.0
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the import's workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def child(database: str, files: list[Path], batch: int, workers: int, writers: int) -> dict[str, object]:
    """One database, three runs; called in a fresh process (settings are read once per process)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from broadsheet.archive.importer import archive_import
    from broadsheet.newsroom.models import Agency, Article, Publication, Section

    call_command("migrate", verbosity=0)
    Publication.objects.create(name="The Bench Gazette")
    for slug in SECTIONS:
        Section.objects.create(name=slug.title(), slug=slug)
    Agency.objects.create(name="Bench Wire", code="BW")
    results: dict[str, object] = {"database": connection.vendor, "batch": batch, "workers": workers, "writers": writers}
    for name, path in zip(("new", "unchanged", "tenth changed"), files, strict=True):
        wall, cpu, server = time.perf_counter(), _cpu(), server_cpu(connection)
        report = archive_import(path=path, batch_size=batch, workers=workers, writers=writers)
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        # With writers the stories are written by other connections' server processes: not measured.
        server = server_cpu(connection) - server if not writers else float("nan")
        assert not report.errors, report.errors[:3]
        results[name] = {
            "stories": report.stories,
            "created": report.created,
            "updated": report.updated,
            "seconds": round(wall, 2),
            "stories_per_second": round(report.stories / wall),
            "cpu_seconds_per_1000": round(cpu / report.stories * 1000, 3),
            "server_cpu_seconds_per_1000": None if writers else round(server / report.stories * 1000, 3),
            # An idle machine, one writer: the importer waits for each statement, so their CPU adds up.
            "stories_per_cpu_second": None if writers else round(report.stories / (cpu + server)),
        }
        print(f"  {database} {name}: {report.summary()} in {wall:.1f}s", file=sys.stderr, flush=True)
    results["articles"] = Article.objects.count()
    with connection.cursor() as cursor:  # the search index followed every story (its triggers ran)
        cursor.execute(
            "SELECT COUNT(*) FROM " + ("search_entry" if connection.vendor == "postgresql" else "search_fts")
        )
        results["index_entries"] = cursor.fetchone()[0]
    assert results["index_entries"] == results["articles"], results
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DB_NAME, help=f"the PostgreSQL database to recreate ({DB_NAME})")
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--workers", type=int, default=0, help="the command's --workers (default 0)")
    parser.add_argument("--writers", type=int, default=2, help="the command's --writers (default 2)")
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    parser.add_argument("--files", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.files, args.batch, args.workers, args.writers)))
        return
    work = Path(tempfile.mkdtemp(prefix="archivebench-"))
    files = [work / "first.jsonl", work / "again.jsonl", work / "changed.jsonl"]
    write_file(files[0], args.stories)
    files[1].write_bytes(files[0].read_bytes())
    write_file(files[2], args.stories, change_every=10)
    size = files[0].stat().st_size
    print(f"{args.stories:,} stories, {size / 1e6:.0f} MB a file, batches of {args.batch}", file=sys.stderr)
    for database in ("sqlite", "postgres"):
        if args.only and database != args.only:
            continue
        env = {
            **os.environ,
            "BROADSHEET_DATA_DIR": str(work / f"data-{database}"),
            "SECRET_KEY": os.environ.get("SECRET_KEY", "archive-bench-only"),
            "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
        }
        env.pop("DATABASE_URL", None)
        if database == "postgres":
            recreate_database(args.server, args.database)
            env["DATABASE_URL"] = f"{args.server}/{args.database}"
        command = [sys.executable, "-m", "bench.archive_import", "--child", database, "--batch", str(args.batch)]
        command += ["--workers", str(args.workers), "--writers", str(args.writers)]
        try:
            out = subprocess.run(
                [*command, "--files", *map(str, files)], env=env, check=True, capture_output=True, text=True
            )
        finally:
            if database == "postgres":
                recreate_database(args.server, args.database, drop_only=True)
        sys.stderr.write(out.stderr)
        print(out.stdout.strip())


if __name__ == "__main__":
    main()
