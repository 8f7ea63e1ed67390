"""Newsletter sending throughput: messages/s into a local SMTP server, for 10⁴ and 10⁵ recipients,
with one sender process and with two.

    .venv/bin/python -m bench.newsletters [--sizes 10000,100000] [--senders 1,2]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_newsletters] [--format full|summaries]
        [--sink aiosmtpd|lean]

Without --database-url the data set is SQLite under var/bench/newsletters/ (recreated).
With a PostgreSQL URL the database is dropped and created again (and dropped at the end).

For each size: migrate a fresh database, then bulk-insert N confirmed members of
one list: a third bare addresses, a third registered readers, a third
subscribers (an active plan with the premium benefit), and an issue of six
stories (two premium, three metered, one free), so every sender renders three
recipient kinds. For each sender count: empty the deliveries, list the
recipients (timed apart), start a counting aiosmtpd sink in its own process,
start the senders (`manage.py newsletter_send`, the code the worker's task
runs), and time until all have finished. Checks that the sink received exactly
N messages to N distinct addresses, and reports messages/s, CPU ms per message
of the senders and of the sink, and the sink's own ceiling (the same bytes sent
by plain smtplib, nothing else).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CHUNK = 5000
UNUSABLE = "!"  # Django's marker for an account that cannot log in with a password


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(database_url: str, data_dir: Path, smtp_port: int | None = None) -> dict[str, str]:
    keep = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "BROADSHEET_", "DEBUG"))
    }
    env = {**keep, "BROADSHEET_TESTING": "1", "DATABASE_URL": database_url, "BROADSHEET_DATA_DIR": str(data_dir)}
    if smtp_port:
        env |= {"BROADSHEET_NEWSLETTER_EMAIL_HOST": "127.0.0.1", "BROADSHEET_NEWSLETTER_EMAIL_PORT": str(smtp_port)}
    return env


def fresh_database(database_url: str, data_dir: Path) -> None:
    if database_url.startswith("sqlite"):
        data_dir.mkdir(parents=True, exist_ok=True)
        for old in data_dir.glob("bench.sqlite3*"):
            old.unlink()
        shutil.rmtree(data_dir / "mail", ignore_errors=True)
        return
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    data_dir.mkdir(parents=True, exist_ok=True)


def seed(n: int, fmt: str = "full") -> int:
    """N members in thirds (address, registered, subscriber) and a six-story issue; returns the issue id."""
    from django.utils import timezone

    from broadsheet.billing.models import Benefit, Plan, Subscription
    from broadsheet.newsletters.models import Issue, IssueStory, Membership, NewsletterList, Subscriber
    from broadsheet.newsroom.models import Article, Author, Publication, Section
    from broadsheet.readers.models import User

    now = timezone.now()
    Publication.objects.get_or_create(id=1, defaults={"name": "The Bench Gazette"})
    section, _ = Section.objects.get_or_create(slug="markets", defaults={"name": "Markets"})
    author, _ = Author.objects.get_or_create(slug="bench", defaults={"name": "Bench Writer"})
    premium, _ = Benefit.objects.get_or_create(code="premium", defaults={"name": "Premium"})
    plan, _ = Plan.objects.get_or_create(
        slug="bench", defaults={"name": "Bench", "price_minor": 90000, "period_months": 3}
    )
    plan.benefits.add(premium)
    newsletter = NewsletterList.objects.create(
        name="Bench Brief",
        slug="bench-brief",
        description="Benchmark list.",
        sender_name="The Bench Gazette",
        sender_email="letters@example.com",
        format=fmt,
    )
    body = "\n".join(f"<p>Paragraph {i}: " + "words of a story worth reading " * 12 + "</p>" for i in range(8))
    stories = []
    for i, access in enumerate(["premium", "metered", "free", "premium", "metered", "metered"]):
        a = Article.objects.create(
            headline=f"Bench story {i}: markets and more",
            slug=f"bench-{i}",
            standfirst="A summary for the digest.",
            body=body,
            section=section,
            access=access,
            status="published",
            published_at=now - timedelta(hours=i + 1),
        )
        a.authors.add(author)
        stories.append(a)
    issue = Issue.objects.create(newsletter=newsletter, subject="Bench Brief: today's six", intro="Good morning.")
    IssueStory.objects.bulk_create([IssueStory(issue=issue, article=a, position=i) for i, a in enumerate(stories)])
    for start in range(0, n, CHUNK):
        idx = range(start, min(n, start + CHUNK))
        emails = [f"r{i}@bench.example.org" for i in idx]
        users = User.objects.bulk_create(
            [User(email=e, password=UNUSABLE) for i, e in zip(idx, emails, strict=True) if i % 3]
        )
        by_email = {u.email: u for u in users}
        Subscription.objects.bulk_create(
            [
                Subscription(
                    user=u,
                    plan=plan,
                    status="active",
                    anchor=now - timedelta(days=5),
                    started_at=now - timedelta(days=5),
                    period=0,
                    period_months=3,
                    current_period_start=now - timedelta(days=5),
                    access_from=now - timedelta(days=5),
                    current_period_end=now + timedelta(days=85),
                    access_until=now + timedelta(days=85),
                    gateway="test",
                )
                for i, u in zip((i for i in idx if i % 3), users, strict=True)
                if i % 3 == 2
            ]
        )
        subs = Subscriber.objects.bulk_create(
            [Subscriber(email=e, user=by_email.get(e), created_at=now, confirmed_at=now) for e in emails]
        )
        Membership.objects.bulk_create(
            [
                Membership(subscriber=s, newsletter=newsletter, status="active", created_at=now, subscribed_at=now)
                for s in subs
            ]
        )
    return issue.pk


def reset(issue_id: int) -> float:
    """Back to the start of a send; returns the seconds `recipients_list` took."""
    from broadsheet.core import clock
    from broadsheet.newsletters.models import Delivery, Issue, SendRun
    from broadsheet.newsletters.sending.recipients import recipients_list

    Delivery.objects.filter(issue_id=issue_id).delete()
    SendRun.objects.filter(issue_id=issue_id).delete()
    Issue.objects.filter(pk=issue_id).update(status="sending", recipients_listed_at=None, started_at=clock.now())
    t = time.perf_counter()
    recipients_list(issue=Issue.objects.select_related("newsletter").get(pk=issue_id), at=clock.now())
    return time.perf_counter() - t


def cpu_of(proc: subprocess.Popen[bytes]) -> float:
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


SINK = "aiosmtpd"  # or "lean" (--sink): which server bench/smtp_sink.py runs


def sink_start(port: int, summary: Path) -> subprocess.Popen[bytes]:
    argv = [PY, str(ROOT / "bench" / "smtp_sink.py"), str(port), str(summary), SINK]
    sink = subprocess.Popen(argv, stdout=subprocess.PIPE)
    assert sink.stdout is not None and sink.stdout.readline().strip() == b"ready"
    return sink


def sink_stop(sink: subprocess.Popen[bytes], summary: Path) -> tuple[dict[str, int], float]:
    sink.terminate()
    cpu = cpu_of(sink)
    return json.loads(summary.read_text()), cpu


def run_send(issue_id: int, n: int, senders: int, database_url: str, data_dir: Path) -> dict[str, Any]:
    listing = reset(issue_id)
    port = free_port()
    summary = Path(tempfile.mkdtemp()) / "sink.json"
    sink = sink_start(port, summary)
    env = environment(database_url, data_dir, port)
    cmd = [PY, str(ROOT / "manage.py"), "newsletter_send", str(issue_id), "-v", "0"]
    started = time.perf_counter()
    procs = [subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE) for _ in range(senders)]
    sender_cpu = sum(cpu_of(p) for p in procs)
    wall = time.perf_counter() - started
    outputs = [p.stdout.read().decode().strip() if p.stdout else "" for p in procs]
    got, sink_cpu = sink_stop(sink, summary)
    from broadsheet.newsletters.models import Delivery

    sent_rows = Delivery.objects.filter(issue_id=issue_id, status="sent").count()
    ok = got["messages"] == n and got["distinct"] == n and sent_rows == n and all(p.returncode == 0 for p in procs)
    return {
        "recipients": n,
        "senders": senders,
        "seconds": round(wall, 2),
        "messages_per_s": round(n / wall),
        "sender_cpu_ms_per_msg": round(1000 * sender_cpu / n, 3),
        "sink_cpu_ms_per_msg": round(1000 * sink_cpu / n, 3),
        "listing_s": round(listing, 2),
        "bytes_per_msg": got["bytes"] // max(1, got["messages"]),
        "received": got["messages"],
        "distinct": got["distinct"],
        "ok": ok,
        "runs": outputs,
    }


def ceiling(sample: bytes, count: int, senders: int) -> float:
    """The sink alone: the same message sent `count` times by plain smtplib from `senders` processes."""
    port = free_port()
    summary = Path(tempfile.mkdtemp()) / "sink.json"
    sink = sink_start(port, summary)
    code = (
        "import smtplib,sys\n"
        f"data=open({str(summary.parent / 'sample.eml')!r},'rb').read()\n"
        f"s=smtplib.SMTP('127.0.0.1',{port})\n"
        f"[s.sendmail('b@example.com',[f'c{{i}}@example.org'],data) for i in range({count // senders})]\n"
        "s.quit()\n"
    )
    (summary.parent / "sample.eml").write_bytes(sample)
    started = time.perf_counter()
    procs = [subprocess.Popen([PY, "-c", code]) for _ in range(senders)]
    for p in procs:
        p.wait()
    wall = time.perf_counter() - started
    sink_stop(sink, summary)
    return count / wall


def sample_message(issue_id: int) -> bytes:
    from broadsheet.newsletters.compose.mime import shell_build
    from broadsheet.newsletters.compose.render import issue_render
    from broadsheet.newsletters.models import Issue
    from broadsheet.newsletters.rules import RecipientKind

    issue = Issue.objects.select_related("newsletter").get(pk=issue_id)
    shell = shell_build(issue=issue, rendered=issue_render(issue=issue, kind=RecipientKind(registered=True)))
    return shell.message(delivery_id=1, subscriber_id=1, to="c@example.org")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--senders", default="1,2")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--format", default="full", choices=["full", "summaries"], help="the list's format")
    parser.add_argument("--sink", default="aiosmtpd", choices=["aiosmtpd", "lean"], help="the receiving SMTP server")
    args = parser.parse_args()
    global SINK
    SINK = args.sink
    data_dir = ROOT / "var" / "bench" / "newsletters"
    database_url = args.database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        fresh_database(database_url, data_dir)
        env = environment(database_url, data_dir)
        subprocess.run([PY, str(ROOT / "manage.py"), "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
        import django

        django.setup()
        from django.db import connection

        connection.close()
        t = time.perf_counter()
        issue_id = seed(n, args.format)
        print(f"{n} recipients seeded in {time.perf_counter() - t:.1f}s", flush=True)
        for k in [int(s) for s in args.senders.split(",")]:
            result = run_send(issue_id, n, k, database_url, data_dir)
            result["sink_ceiling_per_s"] = round(ceiling(sample_message(issue_id), min(n, 10000), k))
            results.append(result)
            print(
                f"  {n:>7} recipients, {k} sender(s): {result['messages_per_s']:>5} msg/s in {result['seconds']}s "
                f"(sender CPU {result['sender_cpu_ms_per_msg']} ms/msg, "
                f"sink CPU {result['sink_cpu_ms_per_msg']} ms/msg, "
                f"sink alone {result['sink_ceiling_per_s']} msg/s, {result['bytes_per_msg']} B/msg, "
                f"listing {result['listing_s']}s) {'OK' if result['ok'] else 'CHECK FAILED'}",
                flush=True,
            )
        connection.close()
    print(json.dumps([{k: v for k, v in r.items() if k != "runs"} for r in results]))
    if not all(r["ok"] for r in results):
        for r in results:
            print(r["runs"])
        sys.exit(1)


if __name__ == "__main__":
    main()
