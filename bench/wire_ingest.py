"""Wire ingest throughput: 10,000 NewsML-G2 items and 10,000 ninjs items into PostgreSQL.

    .venv/bin/python -m bench.wire_ingest [--items 10000] [--per-file 500] [--server postgres://postgres@127.0.0.1:5432]

Creates the database `broadsheet_wirebench` (dropped first if it exists, and
again at the end unless --keep), migrates it, generates the feeds in a temporary
drop folder (every item new, about 2 KB of body each, two subjects mapped to
sections), runs one ingest pass per format through the same code as
`broadsheet ingest-wire`, and prints items/s with progress. Set REDIS_URL to
measure with the Redis generation stamps instead of the file stamps.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

DB_NAME = "broadsheet_wirebench"
PARAGRAPH = (
    "The council met on Tuesday to weigh the budget for the coming year, and members argued over the cost "
    "of repairing roads against the promise of new buses for the suburbs. "
)


def newsml_file(start: int, count: int) -> bytes:
    items = []
    for n in range(start, start + count):
        topic = "medtop:04000000" if n % 2 else "medtop:11000000"
        body = "".join(f"<p>Paragraph {i} of item {n}. {PARAGRAPH}</p>" for i in range(5))
        items.append(
            f'<newsItem guid="urn:newsml:bench.example:{n}" version="1" standard="NewsML-G2" standardversion="2.33">'
            '<itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-03-02T07:50:00Z</versionCreated>'
            '<pubStatus qcode="stat:usable"/></itemMeta>'
            f'<contentMeta><dateline>MUMBAI, March 2</dateline><subject qcode="{topic}"><name>t</name></subject>'
            f"<headline>Bench story number {n} about the city budget</headline>"
            f'<description role="drol:summary">Summary of bench story {n}.</description></contentMeta>'
            '<contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">'
            f"<body>{body}</body></html></inlineXML></contentSet></newsItem>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>'
        + "".join(items)
        + "</itemSet></newsMessage>"
    ).encode()


def ninjs_file(start: int, count: int) -> bytes:
    lines = []
    for n in range(start, start + count):
        topic = "http://cv.iptc.org/newscodes/mediatopic/" + ("04000000" if n % 2 else "11000000")
        body = "".join(f"<p>Paragraph {i} of ninjs item {n}. {PARAGRAPH}</p>" for i in range(5))
        item = {
            "uri": f"urn:ninjs:bench.example:{n}",
            "version": "1",
            "pubstatus": "usable",
            "headlines": [{"role": "main", "value": f"Bench ninjs story {n} about the state budget"}],
            "descriptions": [{"role": "summary", "value": f"Summary of ninjs story {n}."}],
            "bodies": [{"role": "main", "contenttype": "text/html", "value": body}],
            "subjects": [{"uri": topic, "name": "t"}],
            "located": {"name": "PUNE"},
        }
        lines.append(json.dumps(item))
    return ("\n".join(lines) + "\n").encode()


def recreate_database(server: str, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--per-file", type=int, default=500)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    recreate_database(args.server)
    data_dir = tempfile.mkdtemp(prefix="wirebench-")
    os.environ.update(
        {
            "DATABASE_URL": f"{args.server}/{DB_NAME}",
            "BROADSHEET_DATA_DIR": data_dir,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "wire-bench-only"),
            "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        results = run(args, Path(data_dir))
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(args.server, drop_only=True)
    print(json.dumps(results))


def run(args: argparse.Namespace, data_dir: Path) -> dict[str, object]:
    from django.db import connection

    from broadsheet.newsroom.models import Agency, Publication, Section
    from broadsheet.wire.models import MappingRule, WireItem, WireSource
    from broadsheet.wire.services import source_ingest

    Publication.objects.create(name="The Bench Gazette")
    news = Section.objects.create(name="News", slug="news")
    business = Section.objects.create(name="Business", slug="business")
    politics = Section.objects.create(name="Politics", slug="politics")
    MappingRule.objects.create(position=1, match="medtop:04000000", section=business)
    MappingRule.objects.create(position=2, match="medtop:11000000", section=politics)
    agency = Agency.objects.create(name="Bench Wire", code="BW")
    results: dict[str, object] = {"database": connection.vendor, "items_per_format": args.items}
    for fmt, make, ext in (("newsml", newsml_file, "xml"), ("ninjs", ninjs_file, "jsonl")):
        inbox = data_dir / f"inbox-{fmt}"
        inbox.mkdir()
        for start in range(0, args.items, args.per_file):
            (inbox / f"{fmt}-{start:06d}.{ext}").write_bytes(make(start, min(args.per_file, args.items - start)))
        source = WireSource.objects.create(
            name=fmt, slug=fmt, agency=agency, location=str(inbox), auto_publish=True, default_section=news
        )
        began = time.perf_counter()

        def progress(name: str, at: int, total: int, began: float = began, fmt: str = fmt) -> None:
            rate = (WireItem.objects.filter(source__slug=fmt).count()) / (time.perf_counter() - began)
            print(f"  {fmt}: {Path(name).name} {at}/{total}  ~{rate:,.0f} items/s", file=sys.stderr, flush=True)

        tally = source_ingest(source=source, progress=progress if args.items <= 20_000 else None)
        elapsed = time.perf_counter() - began
        count = sum(tally.items.values())
        assert tally.items == {"published": args.items}, tally.items
        results[fmt] = {"items": count, "seconds": round(elapsed, 2), "items_per_second": round(count / elapsed)}
        print(f"{fmt}: {count} items in {elapsed:.1f}s = {count / elapsed:,.0f} items/s", file=sys.stderr)
    return results


if __name__ == "__main__":
    main()
