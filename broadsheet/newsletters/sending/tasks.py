"""The sender task: one per sender of an issue, run by `broadsheet worker`."""

from __future__ import annotations

import os
import socket

from django.tasks import task

from broadsheet.newsletters.sending import sender


@task()
def newsletter_issue_send(issue_id: int) -> str:
    """Send the issue's queued deliveries; safe to run twice or alongside other senders of the same issue."""
    worker = f"{socket.gethostname()}:{os.getpid()}"
    return sender.issue_send_run(issue_id=issue_id, worker=worker).summary()
