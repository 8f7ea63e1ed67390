"""`broadsheet ingest-wire` and `broadsheet worker` as an operator runs them."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.tasks import task

from broadsheet.core import schedule
from broadsheet.wire.models import IngestRun
from tests.wire.conftest import Desk, outcomes

pytestmark = pytest.mark.django_db


def test_ingest_wire_shows_progress_and_a_summary(desk: Desk) -> None:
    desk.drop("newsml/pns-message.xml", "hostile/bomb.xml")
    out = StringIO()
    call_command("ingest_wire", "pns", stdout=out)
    text = out.getvalue()
    assert "pns-message.xml: 5/5 items" in text
    assert "6 items: 2 published, 0 queued, 1 updated, 0 killed, 1 duplicate, 2 quarantined" in text
    assert IngestRun.objects.get().counts["items"] == {"published": 2, "updated": 1, "duplicate": 1, "quarantined": 2}


def test_ingest_wire_names_the_known_sources_for_a_typo(desk: Desk) -> None:
    with pytest.raises(CommandError, match="known: pns"):
        call_command("ingest_wire", "pnss", stdout=StringIO())


@pytest.fixture
def own_schedule(settings: Any, tmp_path: Any) -> None:
    """Claims of this test's own, apart from any worker or test running beside it."""
    settings.DATA_DIR = tmp_path
    settings.BROADSHEET_GENERATION_PREFIX = f"wiretest-{uuid.uuid4().hex}:gen"


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_wire_poll_when_it_is_due(desk: Desk, own_schedule: None) -> None:
    desk.drop("ninjs1/pns-markets-v1.json")
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    text = out.getvalue()
    assert "Enqueued periodic job wire.poll" in text and "Worker stopped." in text
    assert outcomes() == {"published": 1}
    out = StringIO()
    call_command("worker", "--once", stdout=out)  # not due again within its interval
    assert "Enqueued" not in out.getvalue()


calls: list[int] = []


@task()
def count_call() -> None:
    calls.append(1)


def test_a_job_is_claimed_once_per_interval_however_many_workers_ask(own_schedule: None) -> None:
    job = schedule.register("test.count", every=3600, task=count_call)
    try:
        schedule.reset(job.name)
        assert [schedule.claim(job) for _ in range(5)] == [True, False, False, False, False]
        assert schedule.last_runs()[job.name] is not None
    finally:
        schedule.reset(job.name)
        schedule.unregister(job.name)


@pytest.mark.django_db(transaction=True)
def test_the_worker_stops_cleanly_on_sigterm(own_schedule: None) -> None:
    timer = threading.Timer(0.5, os.kill, args=(os.getpid(), signal.SIGTERM))
    timer.start()
    out = StringIO()
    started = time.monotonic()
    call_command("worker", "--check-every", "30", stdout=out)
    timer.join()
    assert time.monotonic() - started < 5
    assert "stopping after the current task" in out.getvalue() and out.getvalue().rstrip().endswith("Worker stopped.")
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
