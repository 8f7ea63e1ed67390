"""One sender run: claim a batch of deliveries, build and hand over each message, record what happened.

Crash safety, step by step (a run may be killed at any instruction):
1. Claim: queued → sending, with this run's id, in one transaction. A killed
   run's claims go back to the queue once its heartbeat is older than the lease
   (`release_stale`): none of them reached the relay, see 3.
2. Check: who left the list, bounced or lost the benefit since is skipped.
3. Hand over: the message is sent up to its final dot; then "sent" is written
   by compare-and-set (still sending, still ours) and committed; only then does
   the dot go out. A claim lost in between means the connection is dropped and
   the relay discards the message. So no message reaches the relay unless its
   row says sent, and a restart never sends a sent row again.
4. Replies that are not 250 correct the row afterwards (bounced, failed).
The one window left is a kill between the commit of "sent" and the write of
the dot: that recipient is missed (never mailed twice). See docs/newsletters.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q

from broadsheet.core import clock
from broadsheet.newsletters import conf, tokens
from broadsheet.newsletters.compose.mime import Shell, shell_build
from broadsheet.newsletters.compose.render import issue_articles, issue_render, relevant_benefits
from broadsheet.newsletters.models import Delivery, Issue, SendRun
from broadsheet.newsletters.rules import DeliveryStatus, IssueStatus, RecipientKind, SmtpOutcome, pace_delay
from broadsheet.newsletters.sending.recipients import Recipient, recipients_check, recipients_list, skip
from broadsheet.newsletters.sending.transport import ABORTED, Reply, Transport, TransportNotConfigured, transport_open
from broadsheet.newsletters.subscribers import subscriber_bounce

S = DeliveryStatus
HEARTBEAT_SECONDS = 2.0
RELAY_DOWN_AFTER = 5  # connection failures in a row: the run ends and leaves the rest queued


@dataclass
class RunReport:
    issue_id: int
    sent: int = 0
    bounced: int = 0
    failed: int = 0
    skipped: int = 0
    outcome: str = ""
    seconds: float = 0.0
    by_kind: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        rate = self.sent / self.seconds if self.seconds else 0.0
        return (
            f"issue {self.issue_id}: {self.sent} sent, {self.bounced} bounced, {self.failed} failed, "
            f"{self.skipped} skipped in {self.seconds:.1f}s ({rate:.0f}/s); {self.outcome}"
        )


def live_runs(*, issue_id: int | None, at: datetime) -> int:
    fresh = SendRun.objects.filter(
        finished_at__isnull=True, heartbeat_at__gte=at - timedelta(seconds=conf.lease_seconds())
    )
    return (fresh.filter(issue_id=issue_id) if issue_id else fresh).count()


def release_stale(*, issue_id: int, at: datetime) -> int:
    """Claims of runs silent for longer than the lease go back to the queue (their messages never left)."""
    cutoff = at - timedelta(seconds=conf.lease_seconds())
    dead = SendRun.objects.filter(issue_id=issue_id, finished_at__isnull=True, heartbeat_at__lt=cutoff)
    dead_ids = list(dead.values_list("pk", flat=True))
    with transaction.atomic():
        released = Delivery.objects.filter(
            Q(run_id__in=dead_ids) | Q(run__isnull=True), issue_id=issue_id, status=S.SENDING
        ).update(status=S.QUEUED, run=None, claimed_at=None)
        SendRun.objects.filter(pk__in=dead_ids).update(finished_at=at, outcome="lost (no heartbeat)")
    return released


def claim(*, issue_id: int, run_id: int, size: int, at: datetime) -> list[int]:
    due = Q(status=S.QUEUED) | Q(status=S.FAILED, retry_at__lte=at, attempts__lt=conf.max_attempts())
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(due, issue_id=issue_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        Delivery.objects.filter(due, pk__in=ids).update(status=S.SENDING, run_id=run_id, claimed_at=at, retry_at=None)
    return ids


def _mark_sent_sql() -> str:
    table = connection.ops.quote_name(Delivery._meta.db_table)
    return f"UPDATE {table} SET status = %s, sent_at = %s, kind = %s WHERE id = %s AND run_id = %s AND status = %s"


def delivery_mark_sent(*, delivery_id: int, run_id: int, kind: str) -> bool:
    """Compare-and-set sending → sent for the run that holds the claim; committed before the final dot.

    The one write per message, so it is a single prepared statement rather than a
    queryset built per call (the ORM's cost would be a third of the sender's time).
    """
    with connection.cursor() as cursor:
        cursor.execute(_mark_sent_sql(), [S.SENT.value, clock.now(), kind[:80], delivery_id, run_id, S.SENDING.value])
        return bool(cursor.rowcount)


def record(*, recipient: Recipient, reply: Reply, report: RunReport, at: datetime) -> None:
    """What a reply that was not a plain 250 means for the delivery (and, for a hard bounce, the address)."""
    if reply.outcome == ABORTED:
        return
    if reply.outcome == SmtpOutcome.ACCEPTED:
        report.sent += 1
        report.by_kind[recipient.kind.key] = report.by_kind.get(recipient.kind.key, 0) + 1
        if reply.code != 250:
            Delivery.objects.filter(pk=recipient.delivery_id).update(reply=reply.summary)
        return
    row = Delivery.objects.filter(pk=recipient.delivery_id, status__in=[S.SENDING, S.SENT])
    if reply.outcome == SmtpOutcome.PERMANENT and reply.recipient_refused:
        row.update(status=S.BOUNCED, reply=reply.summary)
        subscriber_bounce(subscriber_id=recipient.subscriber_id, reason=reply.summary, at=at)
        report.bounced += 1
        return
    attempts = Delivery.objects.get(pk=recipient.delivery_id).attempts + 1
    retry = at + timedelta(minutes=conf.retry_minutes()) if attempts < conf.max_attempts() else None
    row.update(status=S.FAILED, reply=reply.summary, attempts=attempts, retry_at=retry, run=None)
    report.failed += 1


class Pacer:
    """Keeps a run to its share of the site's rate limit, and beats its heart."""

    def __init__(self, run: SendRun) -> None:
        self.run = run
        self.started = time.monotonic()
        self.count = 0
        self.senders = 1
        self.last_beat = 0.0

    def wait(self) -> None:
        delay = pace_delay(
            rate=conf.rate_per_second(),
            senders=self.senders,
            sent_since_start=self.count,
            elapsed=time.monotonic() - self.started,
        )
        if delay > 0:
            time.sleep(delay)
        self.count += 1

    def beat(self, *, sent: int, force: bool = False) -> IssueStatus:
        """Heartbeat; returns the issue's status (a stop shows here). At most every HEARTBEAT_SECONDS unless forced."""
        now_m = time.monotonic()
        if not force and now_m - self.last_beat < HEARTBEAT_SECONDS:
            return IssueStatus.SENDING
        self.last_beat = now_m
        at = clock.now()
        SendRun.objects.filter(pk=self.run.pk).update(heartbeat_at=at, sent=sent)
        if conf.rate_per_second():
            self.senders = max(1, live_runs(issue_id=None, at=at))
        status = Issue.objects.filter(pk=self.run.issue_id).values_list("status", flat=True).first()
        return IssueStatus(status) if status else IssueStatus.CANCELLED


def _shell(issue: Issue, kind: RecipientKind, shells: dict[RecipientKind, Shell], rows: list) -> Shell:  # type: ignore[type-arg]
    shell = shells.get(kind)
    if shell is None:
        shell = shells[kind] = shell_build(issue=issue, rendered=issue_render(issue=issue, kind=kind, rows=rows))
    return shell


def _send_batch(*, issue: Issue, run: SendRun, batch: list[Recipient], ctx: _Context, report: RunReport) -> IssueStatus:
    failures_in_row = 0
    for recipient in batch:
        status = ctx.pacer.beat(sent=report.sent)
        if status is not IssueStatus.SENDING:
            return status
        ctx.pacer.wait()
        shell = _shell(issue, recipient.kind, ctx.shells, ctx.rows)
        data = shell.message(
            delivery_id=recipient.delivery_id,
            subscriber_id=recipient.subscriber_id,
            to=recipient.to,
            eight_bit=ctx.transport.eight_bit,
        )
        reply = ctx.transport.send(
            sender=tokens.bounce_address_for(recipient.delivery_id),
            to=recipient.to,
            data=data,
            handover=_handover(recipient, run.pk),
        )
        record(recipient=recipient, reply=reply, report=report, at=clock.now())
        failures_in_row = failures_in_row + 1 if reply.code == 0 and not reply.handed_over else 0
        if failures_in_row >= RELAY_DOWN_AFTER:
            report.outcome = f"relay unavailable: {reply.text}"
            return IssueStatus.PAUSED
    return IssueStatus.SENDING


def _handover(recipient: Recipient, run_id: int) -> Callable[[], bool]:
    return lambda: delivery_mark_sent(delivery_id=recipient.delivery_id, run_id=run_id, kind=recipient.kind.key)


@dataclass
class _Context:
    transport: Transport
    pacer: Pacer
    rows: list  # type: ignore[type-arg]
    relevant: frozenset[str]
    shells: dict[RecipientKind, Shell] = field(default_factory=dict)


def issue_send_run(
    *, issue_id: int, worker: str = "", progress: Callable[[RunReport], None] | None = None
) -> RunReport:
    """Send what is queued for the issue until nothing is left, the issue is stopped, or the relay is down."""
    started = time.monotonic()
    report = RunReport(issue_id=issue_id)
    issue = Issue.objects.select_related("newsletter__required_benefit").get(pk=issue_id)
    if issue.status != IssueStatus.SENDING:
        report.outcome = f"not sending ({issue.status})"
        return report
    at = clock.now()
    if issue.recipients_listed_at is None:
        recipients_list(issue=issue, at=at)
    release_stale(issue_id=issue_id, at=at)
    try:
        transport = transport_open()
    except TransportNotConfigured as exc:
        report.outcome = str(exc)
        return report
    run = SendRun.objects.create(issue=issue, worker=worker[:80], started_at=at, heartbeat_at=at)
    rows = issue_articles(issue)
    ctx = _Context(transport=transport, pacer=Pacer(run), rows=rows, relevant=relevant_benefits([a for _, a in rows]))
    status = IssueStatus.SENDING
    try:
        while status is IssueStatus.SENDING:
            ids = claim(issue_id=issue_id, run_id=run.pk, size=conf.batch_size(), at=clock.now())
            if not ids:
                break
            batch, refused = recipients_check(issue=issue, delivery_ids=ids, relevant=ctx.relevant, at=clock.now())
            skip(refused=refused)
            report.skipped += len(refused)
            status = _send_batch(issue=issue, run=run, batch=batch, ctx=ctx, report=report)
            status = ctx.pacer.beat(sent=report.sent, force=True) if status is IssueStatus.SENDING else status
            if progress:
                progress(report)
    finally:
        ctx.transport.close()
        _run_end(run=run, report=report, status=status)
        report.seconds = time.monotonic() - started
    return report


def _run_end(*, run: SendRun, report: RunReport, status: IssueStatus) -> None:
    """Give back unsent claims, close the run, and mark the issue sent when nothing is left to do."""
    at = clock.now()
    mine = Delivery.objects.filter(run_id=run.pk, status=S.SENDING)
    if status is IssueStatus.CANCELLED:
        mine.update(status=S.SKIPPED, reply="the send was cancelled")
    else:
        mine.update(status=S.QUEUED, run=None, claimed_at=None)
    if not report.outcome:
        report.outcome = (
            "stopped" if status is IssueStatus.PAUSED else ("done" if status is IssueStatus.SENDING else str(status))
        )
    SendRun.objects.filter(pk=run.pk).update(
        finished_at=at, heartbeat_at=at, sent=report.sent, outcome=report.outcome[:40]
    )
    if status is IssueStatus.SENDING and report.outcome == "done":
        left = Delivery.objects.filter(issue_id=run.issue_id, status__in=[S.QUEUED, S.SENDING]).exists()
        if not left:
            Issue.objects.filter(pk=run.issue_id, status=IssueStatus.SENDING).update(
                status=IssueStatus.SENT, finished_at=at
            )
