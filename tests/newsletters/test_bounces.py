"""Delivery status notifications to the bounce address: a hard one stops further sends, a forged one is ignored."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from broadsheet.core import clock
from broadsheet.newsletters import tokens
from broadsheet.newsletters.models import Delivery, NewsletterList, Subscriber
from broadsheet.newsletters.sending import control
from broadsheet.newsletters.sending.bounces import bounce_apply
from broadsheet.newsletters.sending.sender import issue_send_run
from tests import factories as f
from tests.newsletters import builders as b

pytestmark = pytest.mark.django_db


def dsn(*, to: str, recipient: str, action: str = "failed", status: str = "5.1.1", tag: str | None = None) -> bytes:
    headers = f"X-Newsletter-Delivery: {tag}\r\n" if tag else ""
    return (
        f"From: MAILER-DAEMON@mx.example.net\r\nTo: {to}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n\r\n"
        f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\n{headers}Subject: Today's issue\r\n\r\n--B--\r\n"
    ).encode()


def sent_issue(relay: b.Relay) -> tuple[NewsletterList, Subscriber, Subscriber]:
    f.publication()
    newsletter = b.newsletter()
    good, bad = b.member(newsletter), b.member(newsletter)
    issue = b.issue(newsletter, f.story().article)
    control.issue_send_now(issue_id=issue.pk, at=clock.now())
    issue_send_run(issue_id=issue.pk)
    return newsletter, good, bad


def test_a_hard_bounce_to_the_verp_address_stops_further_sends(relay: b.Relay) -> None:
    newsletter, good, bad = sent_issue(relay)
    envelope_from = next(frm for frm, tos in relay.envelopes if bad.email in tos)
    assert envelope_from.startswith("bounces+d")
    report = bounce_apply(raw=dsn(to=envelope_from, recipient=bad.email), at=clock.now())
    assert report.hard == 1
    assert Delivery.objects.get(subscriber=bad).status == "bounced"
    assert Subscriber.objects.get(pk=bad.pk).bounced_at is not None
    second = b.issue(newsletter, f.story().article, subject="The next one")
    control.issue_send_now(issue_id=second.pk, at=clock.now())
    issue_send_run(issue_id=second.pk)
    assert relay.recipients() == Counter({good.email: 2, bad.email: 1})


def test_the_returned_headers_name_the_delivery_when_the_address_does_not(relay: b.Relay, tmp_path: object) -> None:
    _, _, bad = sent_issue(relay)
    delivery = Delivery.objects.get(subscriber=bad)
    path = tmp_path / "bounce.eml"  # type: ignore[operator]
    path.write_bytes(dsn(to="bounces@example.com", recipient=bad.email, tag=tokens.bounce_tag(delivery.pk)))
    out = io.StringIO()
    call_command("newsletter_bounces", str(path), stdout=out)
    assert "1 hard bounces recorded" in out.getvalue()
    assert Subscriber.objects.get(pk=bad.pk).bounced_at is not None


def test_soft_and_forged_bounces_change_nothing(relay: b.Relay) -> None:
    _, _, bad = sent_issue(relay)
    delivery = Delivery.objects.get(subscriber=bad)
    soft = bounce_apply(
        raw=dsn(to=tokens.bounce_address_for(delivery.pk), recipient=bad.email, action="delayed", status="4.4.1"),
        at=clock.now(),
    )
    forged_tag = f"d{delivery.pk}-0000000000"
    forged = bounce_apply(raw=dsn(to=f"bounces+{forged_tag}@example.com", recipient=bad.email), at=clock.now())
    untagged = bounce_apply(raw=dsn(to="bounces@example.com", recipient=bad.email), at=clock.now())
    not_a_report = bounce_apply(raw=b"From: someone@example.org\r\nSubject: hello\r\n\r\nHi!\r\n", at=clock.now())
    assert (soft.soft, forged.unmatched, untagged.unmatched, not_a_report.not_dsn) == (1, 1, 1, 1)
    assert Subscriber.objects.get(pk=bad.pk).bounced_at is None
    assert Delivery.objects.get(pk=delivery.pk).status == "sent"
