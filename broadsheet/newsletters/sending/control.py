"""The editor's controls on an issue: schedule, send now, stop, resume, cancel, test send; and the worker's tick.

Each applies `rules.issue_transition` under a row lock, then (after commit)
enqueues the sender tasks. Senders are safe to start any number of times: the
claims share the work out and a second sender with nothing to claim just ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from broadsheet.core import clock
from broadsheet.newsletters import conf
from broadsheet.newsletters.compose.mime import shell_build
from broadsheet.newsletters.compose.render import issue_articles, issue_render
from broadsheet.newsletters.models import Delivery, Issue, SendRun
from broadsheet.newsletters.rules import DeliveryStatus, IssueEvent, IssueStatus, RecipientKind, issue_transition
from broadsheet.newsletters.sending.sender import live_runs, release_stale
from broadsheet.newsletters.sending.tasks import newsletter_issue_send
from broadsheet.newsletters.sending.transport import ABORTED, transport_open


class IssueNotReady(ValueError):
    """An issue with no stories, or no subject, is not sent."""


def _apply(*, issue_id: int, event: IssueEvent, at: datetime, **changes: Any) -> Issue:
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue_id)
        issue.status = issue_transition(issue.status_value, event)
        for name, value in changes.items():
            setattr(issue, name, value)
        issue.save()
    return issue


def _ready(issue: Issue) -> None:
    if not issue.subject.strip():
        raise IssueNotReady("Give the issue a subject first.")
    if not issue.stories.exists():
        raise IssueNotReady("Add at least one story (or start from the digest) first.")
    if not issue_articles(issue):
        raise IssueNotReady("None of the stories is published yet: a mail carries published stories only.")


def senders_enqueue(*, issue_id: int, count: int | None = None) -> None:
    Issue.objects.filter(pk=issue_id).update(senders_enqueued_at=clock.now())

    def go() -> None:
        for _ in range(count or conf.senders()):
            newsletter_issue_send.enqueue(issue_id)

    transaction.on_commit(go)


def issue_schedule(*, issue_id: int, when: datetime, at: datetime) -> Issue:
    issue = Issue.objects.get(pk=issue_id)
    _ready(issue)
    if when <= at:
        return issue_send_now(issue_id=issue_id, at=at)
    return _apply(issue_id=issue_id, event=IssueEvent.SCHEDULE, at=at, scheduled_at=when)


def issue_unschedule(*, issue_id: int, at: datetime) -> Issue:
    return _apply(issue_id=issue_id, event=IssueEvent.UNSCHEDULE, at=at, scheduled_at=None)


def issue_send_now(*, issue_id: int, at: datetime) -> Issue:
    _ready(Issue.objects.get(pk=issue_id))
    issue = _apply(issue_id=issue_id, event=IssueEvent.SEND, at=at, started_at=at, scheduled_at=at)
    senders_enqueue(issue_id=issue_id)
    return issue


def issue_stop(*, issue_id: int, at: datetime) -> Issue:
    """Senders finish the message in hand and give their other claims back; nothing is lost."""
    return _apply(issue_id=issue_id, event=IssueEvent.STOP, at=at)


def issue_resume(*, issue_id: int, at: datetime) -> Issue:
    issue = _apply(issue_id=issue_id, event=IssueEvent.RESUME, at=at)
    senders_enqueue(issue_id=issue_id)
    return issue


def issue_cancel(*, issue_id: int, at: datetime) -> Issue:
    """A stopped issue that will not go on: the rest of the queue is skipped."""
    with transaction.atomic():
        issue = _apply(issue_id=issue_id, event=IssueEvent.CANCEL, at=at, finished_at=at)
        Delivery.objects.filter(issue_id=issue_id, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED]).update(
            status=DeliveryStatus.SKIPPED, reply="the send was cancelled"
        )
    return issue


def issue_test_send(*, issue_id: int, to: str, kind: RecipientKind) -> str:
    """Mail the issue as `kind` would get it to `to` (the editor), marked [Test]; no delivery is recorded."""
    issue = Issue.objects.select_related("newsletter").get(pk=issue_id)
    shell = shell_build(issue=issue, rendered=issue_render(issue=issue, kind=kind), test=True)
    data = shell.message(delivery_id=0, subscriber_id=0, to=to)
    transport = transport_open()
    try:
        reply = transport.send(sender=conf.bounce_address(), to=to, data=data, handover=lambda: True)
    finally:
        transport.close()
    if reply.outcome == ABORTED or not reply.handed_over or reply.code >= 400:
        raise IssueNotReady(f"The test could not be sent: {reply.summary}")
    return reply.summary


def tick(*, at: datetime) -> dict[str, int]:
    """The worker's periodic round: start scheduled issues, restart sends whose runs died, retry deferred mail."""
    started = 0
    for issue_id in Issue.objects.filter(status=IssueStatus.SCHEDULED, scheduled_at__lte=at).values_list(
        "pk", flat=True
    ):
        issue_send_now(issue_id=issue_id, at=at)
        started += 1
    restarted = 0
    for issue_id in Issue.objects.filter(status=IssueStatus.SENDING).values_list("pk", flat=True):
        if live_runs(issue_id=issue_id, at=at) == 0 and not _recent_run(issue_id, at):
            release_stale(issue_id=issue_id, at=at)
            senders_enqueue(issue_id=issue_id)
            restarted += 1
    retried = 0
    due = Q(status=DeliveryStatus.FAILED, retry_at__lte=at, attempts__lt=conf.max_attempts())
    for issue_id in (
        Issue.objects.filter(status=IssueStatus.SENT, deliveries__in=Delivery.objects.filter(due))
        .distinct()
        .values_list("pk", flat=True)
    ):
        issue_resume(issue_id=issue_id, at=at)
        retried += 1
    return {"started": started, "restarted": restarted, "retried": retried}


def _recent_run(issue_id: int, at: datetime) -> bool:
    """A run that ended moments ago, or senders queued for a worker within the lease, is not a dead send."""
    since = at - timedelta(seconds=conf.lease_seconds())
    if Issue.objects.filter(pk=issue_id, senders_enqueued_at__gte=since).exists():
        return True
    return SendRun.objects.filter(issue_id=issue_id, finished_at__gte=since).exists()
