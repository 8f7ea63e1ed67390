"""`broadsheet newsletter-send ISSUE`: run one sender for an issue in the foreground, with progress.

The worker does the same in the background (`Send now` in the desk enqueues it);
this is for operators and benchmarks. `--start` sends a draft or scheduled issue
now; `--resume` resumes a stopped one. Run it in several shells to share the work.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.core import clock
from broadsheet.newsletters.models import Issue
from broadsheet.newsletters.rules import IssueStatus
from broadsheet.newsletters.sending import control
from broadsheet.newsletters.sending.sender import RunReport, issue_send_run


class Command(BaseCommand):
    help = "Send an issue's queued deliveries now, showing progress (a sender like the worker's)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("issue", type=int)
        parser.add_argument("--start", action="store_true", help="start a draft or scheduled issue first")
        parser.add_argument("--resume", action="store_true", help="resume a stopped issue first")

    def handle(self, *args: Any, **options: Any) -> None:
        issue = Issue.objects.filter(pk=options["issue"]).first()
        if issue is None:
            raise CommandError(f"no issue {options['issue']}")
        try:
            if options["start"] and issue.status_value in (IssueStatus.DRAFT, IssueStatus.SCHEDULED):
                control.issue_send_now(issue_id=issue.pk, at=clock.now())
            elif options["resume"] and issue.status_value is IssueStatus.PAUSED:
                control.issue_resume(issue_id=issue.pk, at=clock.now())
        except control.IssueNotReady as exc:
            raise CommandError(str(exc)) from exc
        worker = f"{socket.gethostname()}:{os.getpid()}"

        def progress(report: RunReport) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"  {report.sent} sent, {report.bounced} bounced, {report.failed} failed, {report.skipped} skipped"
                )

        report = issue_send_run(issue_id=issue.pk, worker=worker, progress=progress)
        self.stdout.write(self.style.SUCCESS(report.summary()))
