"""Sending through a real local relay: everyone once, nobody twice, even when the sender is killed half-way."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from broadsheet.billing.models import Subscription
from broadsheet.core import clock
from broadsheet.newsletters.models import Delivery, Issue, Membership, SendRun, Subscriber
from broadsheet.newsletters.rules import DeliveryStatus, IssueStatus
from broadsheet.newsletters.sending import control, sender
from broadsheet.newsletters.sending.sender import issue_send_run
from tests import factories as f
from tests.newsletters import builders as b

ROOT = Path(__file__).resolve().parents[2]


def start(issue: Issue) -> None:
    control.issue_send_now(issue_id=issue.pk, at=clock.now())


def counts(issue: Issue) -> Counter[str]:
    return Counter(Delivery.objects.filter(issue=issue).values_list("status", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("relay", [True, False], indirect=True, ids=["pipelining", "one command at a time"])
def test_a_thousand_recipients_get_exactly_one_message_each(relay: b.Relay, settings: Any) -> None:
    settings.BROADSHEET_NEWSLETTER_BATCH = 150
    newsletter = b.newsletter()
    emails = b.members_bulk(newsletter, 1000)
    issue = b.issue(newsletter, f.story().article)
    start(issue)
    report = issue_send_run(issue_id=issue.pk)
    assert report.sent == 1000
    assert len(relay.messages) == 1000
    assert relay.recipients() == Counter({e: 1 for e in emails})
    assert counts(issue) == Counter({"sent": 1000})
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.SENT
    assert issue_send_run(issue_id=issue.pk).sent == 0  # a second run (a retried task) sends nothing
    assert len(relay.messages) == 1000


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _sender(issue: Issue, relay: b.Relay) -> subprocess.Popen[bytes]:
    """`broadsheet newsletter-send` in a process of its own, as the worker would run the task."""
    env = {
        **os.environ,
        "BROADSHEET_TESTING": "1",
        "DATABASE_URL": _database_url(),
        "BROADSHEET_NEWSLETTER_EMAIL_HOST": "127.0.0.1",
        "BROADSHEET_NEWSLETTER_EMAIL_PORT": str(relay.port),
        "BROADSHEET_NEWSLETTER_BATCH": "100",
        "BROADSHEET_DATA_DIR": str(settings.DATA_DIR),
    }
    cmd = [sys.executable, str(ROOT / "manage.py"), "newsletter_send", str(issue.pk), "-v", "0"]
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kill_at", ["after the data, before the reply", "at the recipient"])
def test_a_send_killed_half_way_and_resumed_mails_everyone_exactly_once(relay: b.Relay, kill_at: str) -> None:
    newsletter = b.newsletter()
    emails = b.members_bulk(newsletter, 1000)
    issue = b.issue(newsletter, f.story().article)
    start(issue)
    proc = _sender(issue, relay)

    def kill(n: int, *_: Any) -> None:
        if n == 450:  # mid-batch (batches of 100)
            b.kill_process(proc.pid)

    if kill_at == "at the recipient":
        relay.on_rcpt = kill
    else:
        relay.on_data = kill
    assert proc.wait(timeout=120) == -9, proc.stderr.read().decode() if proc.stderr else ""
    relay.on_rcpt = relay.on_data = None
    half = len(relay.messages)
    assert 400 <= half <= 450
    assert Delivery.objects.filter(issue=issue, status=DeliveryStatus.SENDING).exists()  # the dead run's claims
    # The dead run's heartbeat is older than the lease: the next sender takes its claims back.
    SendRun.objects.filter(issue=issue).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    resumed = _sender(issue, relay)
    assert resumed.wait(timeout=120) == 0, resumed.stderr.read().decode() if resumed.stderr else ""
    assert len(relay.messages) == 1000
    assert relay.recipients() == Counter({e: 1 for e in emails})
    assert counts(issue) == Counter({"sent": 1000})
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.SENT


@pytest.mark.django_db
def test_a_stopped_send_keeps_its_place_and_resumes(
    relay: b.Relay, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.BROADSHEET_NEWSLETTER_BATCH = 10
    newsletter = b.newsletter()
    emails = b.members_bulk(newsletter, 60)
    issue = b.issue(newsletter, f.story().article)
    start(issue)
    beat = sender.Pacer.beat

    def editor_stops_after_25(self: sender.Pacer, *, sent: int, force: bool = False) -> IssueStatus:
        if sent == 25:
            control.issue_stop(issue_id=issue.pk, at=clock.now())  # the editor presses Stop
        return beat(self, sent=sent, force=True)

    monkeypatch.setattr(sender.Pacer, "beat", editor_stops_after_25)
    first = issue_send_run(issue_id=issue.pk)
    assert first.outcome == "stopped"
    assert len(relay.messages) == 25
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.PAUSED
    assert not Delivery.objects.filter(issue=issue, status=DeliveryStatus.SENDING).exists()  # claims given back
    monkeypatch.setattr(sender.Pacer, "beat", beat)
    control.issue_resume(issue_id=issue.pk, at=clock.now())
    issue_send_run(issue_id=issue.pk)
    assert relay.recipients() == Counter({e: 1 for e in emails})


@pytest.mark.django_db
def test_a_subscriber_only_list_is_never_sent_to_someone_who_lost_the_benefit(relay: b.Relay) -> None:
    newsletter = b.newsletter("benefit", benefit="newsletters")
    keeps, loses = b.subscriber_with("newsletters"), b.subscriber_with("newsletters")
    b.member(newsletter, user=keeps)
    b.member(newsletter, user=loses)
    Subscription.objects.filter(user=loses).update(access_until=timezone.now() - timedelta(minutes=1))
    issue = b.issue(newsletter, f.story().article)
    start(issue)
    issue_send_run(issue_id=issue.pk)
    assert relay.recipients() == Counter({keeps.email: 1})
    skipped = Delivery.objects.get(issue=issue, subscriber__user=loses)
    assert (skipped.status, skipped.reply) == (DeliveryStatus.SKIPPED, "no longer entitled to this list")
    assert Membership.objects.get(subscriber__user=loses).status == "active"  # back on renewal, untouched


@pytest.mark.django_db
def test_unconfirmed_and_unsubscribed_addresses_get_nothing(relay: b.Relay) -> None:
    newsletter = b.newsletter()
    ok = b.member(newsletter)
    b.member(newsletter, confirmed=False)
    gone = b.member(newsletter)
    Membership.objects.filter(subscriber=gone).update(status="unsubscribed")
    issue = b.issue(newsletter, f.story().article)
    start(issue)
    issue_send_run(issue_id=issue.pk)
    assert relay.recipients() == Counter({ok.email: 1})


@pytest.mark.django_db
@pytest.mark.parametrize("relay", [True, False], indirect=True, ids=["pipelining", "one command at a time"])
def test_a_permanent_refusal_is_a_hard_bounce_and_stops_further_sends(relay: b.Relay) -> None:
    newsletter = b.newsletter()
    good, bad = b.member(newsletter), b.member(newsletter)
    relay.refuse[bad.email] = "550 5.1.1 No such user here"
    first = b.issue(newsletter, f.story().article)
    start(first)
    issue_send_run(issue_id=first.pk)
    assert Delivery.objects.get(issue=first, subscriber=bad).status == DeliveryStatus.BOUNCED
    assert Subscriber.objects.get(pk=bad.pk).bounced_at is not None
    relay.refuse.clear()
    second = b.issue(newsletter, f.story().article, subject="The next one")
    start(second)
    issue_send_run(issue_id=second.pk)
    assert relay.recipients() == Counter({good.email: 2})


@pytest.mark.django_db
@pytest.mark.parametrize("relay", [True, False], indirect=True, ids=["pipelining", "one command at a time"])
def test_a_temporary_refusal_is_retried_later_and_counted_as_failed_meanwhile(relay: b.Relay) -> None:
    newsletter = b.newsletter()
    busy = b.member(newsletter)
    relay.refuse[busy.email] = "451 4.7.1 Try again later"
    issue = b.issue(newsletter, f.story().article)
    start(issue)
    issue_send_run(issue_id=issue.pk)
    delivery = Delivery.objects.get(issue=issue)
    assert delivery.status == DeliveryStatus.FAILED and delivery.retry_at is not None
    relay.refuse.clear()
    later = delivery.retry_at + timedelta(seconds=1)
    assert control.tick(at=later)["retried"] == 1
    Delivery.objects.filter(pk=delivery.pk).update(retry_at=timezone.now())
    issue_send_run(issue_id=issue.pk)
    assert relay.recipients() == Counter({busy.email: 1})
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT


@pytest.mark.django_db
@pytest.mark.parametrize("relay", [True, False], indirect=True, ids=["pipelining", "one command at a time"])
def test_a_relay_refusing_the_sender_delivers_nothing_and_the_send_is_retried(relay: b.Relay) -> None:
    newsletter = b.newsletter()
    first, second = b.member(newsletter), b.member(newsletter)
    issue = b.issue(newsletter, f.story().article)
    relay.refuse_mail = "451 4.3.0 Sender refused for now, try later"
    start(issue)
    issue_send_run(issue_id=issue.pk)
    assert relay.messages == []
    assert counts(issue) == Counter({DeliveryStatus.FAILED: 2})
    relay.refuse_mail = ""
    Delivery.objects.filter(issue=issue).update(retry_at=timezone.now())
    control.tick(at=timezone.now() + timedelta(seconds=1))
    issue_send_run(issue_id=issue.pk)
    assert relay.recipients() == Counter({first.email: 1, second.email: 1})


@pytest.mark.django_db
def test_the_worker_tick_restarts_a_send_whose_sender_died_but_not_one_waiting_for_a_worker(relay: b.Relay) -> None:
    newsletter = b.newsletter()
    emails = b.members_bulk(newsletter, 5)
    issue = b.issue(newsletter, f.story().article)
    start(issue)
    assert control.tick(at=clock.now())["restarted"] == 0  # its senders are queued for a worker
    # A sender claimed everything, then died: its heartbeat stopped an hour ago.
    from broadsheet.newsletters.sending.recipients import recipients_list

    recipients_list(issue=issue, at=clock.now())
    long_ago = timezone.now() - timedelta(hours=1)
    run = SendRun.objects.create(issue=issue, started_at=long_ago, heartbeat_at=long_ago)
    sender.claim(issue_id=issue.pk, run_id=run.pk, size=100, at=long_ago)
    Issue.objects.filter(pk=issue.pk).update(senders_enqueued_at=long_ago)
    assert control.tick(at=clock.now())["restarted"] == 1
    assert counts(issue) == Counter({"queued": 5})
    issue_send_run(issue_id=issue.pk)
    assert relay.recipients() == Counter({e: 1 for e in emails})
