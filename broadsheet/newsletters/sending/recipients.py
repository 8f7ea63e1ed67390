"""The send's snapshot of a list (one delivery row per recipient), and who may still receive at claim time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F

from broadsheet.billing.entitlements import benefits_of_many
from broadsheet.newsletters.models import Delivery, Issue, Membership
from broadsheet.newsletters.rules import Audience, DeliveryStatus, RecipientFacts, RecipientKind, kind_of, may_receive

CHUNK = 5000


def recipients_list(*, issue: Issue, at: datetime, progress: Callable[[int], None] | None = None) -> int:
    """Give every confirmed, active member of the list a queued delivery; safe to run again (rows are unique).

    Members whose address bounced, or who have no account for a list that needs
    one, are left out here; benefits are checked when each batch is claimed.
    """
    members = Membership.objects.filter(
        newsletter_id=issue.newsletter_id,
        status=Membership.Status.ACTIVE,
        subscriber__confirmed_at__isnull=False,
        subscriber__bounced_at__isnull=True,
    )
    if issue.newsletter.audience != Audience.ANYONE:
        members = members.filter(subscriber__user__isnull=False)
    last, total = 0, 0
    while True:
        chunk = list(
            members.filter(pk__gt=last).order_by("pk").values_list("pk", "subscriber_id", "subscriber__email")[:CHUNK]
        )
        if not chunk:
            break
        last = chunk[-1][0]
        Delivery.objects.bulk_create(
            [Delivery(issue_id=issue.pk, subscriber_id=sid, to_address=email) for _, sid, email in chunk],
            ignore_conflicts=True,
        )
        total += len(chunk)
        if progress:
            progress(total)
    Issue.objects.filter(pk=issue.pk, recipients_listed_at__isnull=True).update(recipients_listed_at=at)
    return total


@dataclass(frozen=True, slots=True)
class Recipient:
    delivery_id: int
    subscriber_id: int
    to: str
    kind: RecipientKind


def recipients_check(
    *, issue: Issue, delivery_ids: list[int], relevant: frozenset[str], at: datetime
) -> tuple[list[Recipient], dict[int, str]]:
    """For claimed deliveries: who may receive now (with their kind), and why the others may not."""
    newsletter = issue.newsletter
    rows = list(
        Delivery.objects.filter(pk__in=delivery_ids)
        .annotate(
            user_id=F("subscriber__user_id"),
            user_email=F("subscriber__user__email"),
            bounced_at=F("subscriber__bounced_at"),
            confirmed_at=F("subscriber__confirmed_at"),
        )
        .values_list("pk", "subscriber_id", "to_address", "user_id", "user_email", "bounced_at", "confirmed_at")
        .order_by("pk")
    )
    active = set(
        Membership.objects.filter(
            newsletter_id=newsletter.pk, subscriber_id__in=[r[1] for r in rows], status=Membership.Status.ACTIVE
        ).values_list("subscriber_id", flat=True)
    )
    held = benefits_of_many(user_ids=[r[3] for r in rows if r[3] is not None], at=at)
    ok: list[Recipient] = []
    refused: dict[int, str] = {}
    for pk, sid, to, user_id, user_email, bounced_at, confirmed_at in rows:
        benefits = held.get(user_id, frozenset()) if user_id is not None else frozenset()
        facts = RecipientFacts(
            registered=user_id is not None,
            benefits=benefits,
            bounced=bounced_at is not None,
            confirmed=confirmed_at is not None,
        )
        if sid not in active:
            refused[pk] = "left the list before the send reached them"
        elif not may_receive(audience=newsletter.audience_value, benefit=newsletter.benefit_code, recipient=facts):
            refused[pk] = "address bounced" if facts.bounced else "no longer entitled to this list"
        else:
            kind = kind_of(registered=facts.registered, benefits=benefits, relevant=relevant)
            ok.append(Recipient(pk, sid, user_email or to, kind))
    return ok, refused


def skip(*, refused: dict[int, str]) -> None:
    for reason in set(refused.values()):
        ids = [pk for pk, r in refused.items() if r == reason]
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.SKIPPED, reply=reason
        )
