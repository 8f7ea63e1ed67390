"""`broadsheet worker`: run background tasks (django-tasks-db) and enqueue the periodic jobs.

Every `--check-every` seconds the worker enqueues the jobs of
`broadsheet.core.schedule` that are due, then runs every ready task, then
sleeps. SIGINT or SIGTERM stops it after the task in hand (a second signal stops
it at once). `--once` does one round and exits (tests, cron).
"""

from __future__ import annotations

import signal
import sys
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser, OutputWrapper
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from broadsheet.core import schedule


class ScheduledWorker(Worker):
    """django-tasks-db's worker, draining the queue in rounds, with the schedule checked between them."""

    def __init__(self, *, out: OutputWrapper, check_every: float, once: bool, **kwargs: Any) -> None:
        super().__init__(batch=True, startup_delay=False, max_tasks=None, interval=0, **kwargs)
        self.out = out
        self.check_every = check_every
        self.once = once

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running:
            self.out.write(f"{signal.strsignal(signum)} again: stopping now.")
            self.reset_signals()
            sys.exit(1)
        self.out.write(f"{signal.strsignal(signum)}: stopping after the current task.")
        self.running = False

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        self.out.write(f"Running {db_task_result.task_path} ({db_task_result.id})")
        super().run_task(db_task_result)
        db_task_result.refresh_from_db(fields=["status"])
        self.out.write(f"  {db_task_result.status.lower()}")

    def serve(self) -> None:
        self.configure_signals()
        names = ", ".join(f"{j.name} every {j.every}s" for j in schedule.jobs()) or "none"
        self.out.write(f"Worker {self.worker_id} started; periodic jobs: {names}.")
        try:
            while self.running:
                for name in schedule.jobs_enqueue_due():
                    self.out.write(f"Enqueued periodic job {name}")
                self.run()  # batch mode: runs every ready task, then returns
                if self.once:
                    break
                deadline = time.monotonic() + self.check_every
                while self.running and time.monotonic() < deadline:
                    time.sleep(min(0.2, self.check_every))
        finally:
            self.reset_signals()
            self.out.write("Worker stopped.")


class Command(BaseCommand):
    help = "Run background tasks and enqueue periodic jobs (wire polls, renewals) when they are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one round: enqueue due jobs, run ready tasks, exit")
        parser.add_argument("--check-every", type=float, default=5.0, help="seconds between rounds (default 5)")
        parser.add_argument("--queue-name", default="default", help="queues to run, comma separated, '*' for all")
        parser.add_argument("--backend", default="default", dest="backend_name")
        parser.add_argument("--worker-id", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        worker = ScheduledWorker(
            out=self.stdout,
            check_every=max(0.1, options["check_every"]),
            once=options["once"],
            queue_names=options["queue_name"].split(","),
            backend_name=options["backend_name"],
            worker_id=options["worker_id"] or get_random_string(32),
            excluded_queue_names=[],
        )
        worker.serve()
