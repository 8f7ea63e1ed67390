"""Test data for newsletters: lists, members, issues, and a local relay with hooks (aiosmtpd)."""

from __future__ import annotations

import itertools
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from broadsheet.billing.models import Benefit, Plan
from broadsheet.billing.subscriptions.services import subscription_grant
from broadsheet.newsletters.models import Issue, IssueStory, Membership, NewsletterList, Subscriber
from broadsheet.newsroom.models import Article
from broadsheet.readers.models import User
from tests import factories as f
from tests.mailserver import free_port

_seq = itertools.count(1)


def newsletter(
    audience: str = "anyone", *, benefit: str | None = None, fmt: str = "summaries", **extra: Any
) -> NewsletterList:
    n = next(_seq)
    required = None
    if benefit:
        required, _ = Benefit.objects.get_or_create(code=benefit, defaults={"name": benefit.title()})
    return NewsletterList.objects.create(
        name=extra.pop("name", f"List {n}"),
        slug=f"list-{n}",
        description=extra.pop("description", "What a reader gets."),
        sender_name="The Test Gazette",
        sender_email="letters@example.com",
        audience=audience,
        required_benefit=required,
        format=fmt,
        **extra,
    )


def member(
    newsletter: NewsletterList, *, email: str | None = None, user: User | None = None, confirmed: bool = True
) -> Subscriber:
    now = timezone.now()
    address = (user.email if user else email) or f"member{next(_seq)}@example.org"
    sub, _ = Subscriber.objects.get_or_create(
        email=address, defaults={"user": user, "created_at": now, "confirmed_at": now if confirmed else None}
    )
    Membership.objects.create(
        subscriber=sub,
        newsletter=newsletter,
        status=Membership.Status.ACTIVE if confirmed else Membership.Status.PENDING,
        created_at=now,
        subscribed_at=now if confirmed else None,
    )
    return sub


def members_bulk(newsletter: NewsletterList, count: int) -> list[str]:
    now = timezone.now()
    start = next(_seq) * 100_000
    emails = [f"bulk{start + i}@example.org" for i in range(count)]
    Subscriber.objects.bulk_create([Subscriber(email=e, created_at=now, confirmed_at=now) for e in emails])
    subs = Subscriber.objects.filter(email__in=emails)
    Membership.objects.bulk_create(
        [
            Membership(subscriber=s, newsletter=newsletter, status="active", created_at=now, subscribed_at=now)
            for s in subs
        ]
    )
    return emails


def issue(
    newsletter: NewsletterList, *stories: Article, subject: str = "Today's issue", intro: str = "Good morning."
) -> Issue:
    obj = Issue.objects.create(newsletter=newsletter, subject=subject, intro=intro)
    for i, article in enumerate(stories):
        IssueStory.objects.create(issue=obj, article=article, position=i)
    return obj


def plan_with(*codes: str) -> Plan:
    plan, _ = Plan.objects.get_or_create(
        slug="all-in", defaults={"name": "All in", "price_minor": 270000, "period_months": 12}
    )
    for code in codes:
        benefit, _ = Benefit.objects.get_or_create(code=code, defaults={"name": code.title()})
        plan.benefits.add(benefit)
    return plan


def subscriber_with(*codes: str) -> User:
    user = f.reader()
    subscription_grant(user_id=user.pk, plan=plan_with(*codes), start=timezone.now() - timedelta(days=1))
    return user


# --- a relay with hooks ----------------------------------------------------------------


@dataclass
class Relay:
    """A real SMTP server on loopback. `refuse` maps an address to a reply; `on_data` runs per accepted message."""

    port: int = 0
    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    on_data: Callable[[int], None] | None = None
    on_rcpt: Callable[[int, str], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    rcpts: int = 0
    refuse_mail: str = ""  # a reply to every MAIL FROM (a relay refusing the sender)
    pipelining: bool = True  # production relays offer it; the tests run both ways

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if not self.pipelining:
            return responses
        return [*responses[:-1], "250-PIPELINING", responses[-1]]

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, mail_options: Any) -> str:
        if self.refuse_mail:
            return self.refuse_mail
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        with self.lock:
            self.rcpts += 1
            n = self.rcpts
        if self.on_rcpt:
            self.on_rcpt(n, address)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            n = len(self.messages)
        if self.on_data:
            self.on_data(n)
        return "250 OK"

    def recipients(self) -> Counter[str]:
        return Counter(rcpt for _, tos in self.envelopes for rcpt in tos)

    def parts(self, index: int = -1) -> tuple[str, str]:
        """(html, text) of one received message, decoded."""
        html = text = ""
        for part in self.messages[index].walk():
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                continue
            if part.get_content_type() == "text/html":
                html = payload.decode(part.get_content_charset() or "utf-8")
            elif part.get_content_type() == "text/plain":
                text = payload.decode(part.get_content_charset() or "utf-8")
        return html, text

    def for_address(self, address: str) -> int:
        return next(i for i, (_, tos) in enumerate(self.envelopes) if address in tos)


@pytest.fixture
def relay(settings: Any, request: pytest.FixtureRequest) -> Iterator[Relay]:
    """The relay; `@pytest.mark.parametrize("relay", [False], indirect=True)` turns PIPELINING off."""
    handler = Relay(port=free_port(), pipelining=getattr(request, "param", True))
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    settings.MAILERS = {
        **settings.MAILERS,
        "newsletters": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": handler.port, "timeout": 10},
        },
    }
    try:
        yield handler
    finally:
        controller.stop()


def kill_process(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
