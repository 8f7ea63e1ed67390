"""Writes for sign-ups: join, double opt-in, confirm, unsubscribe, preferences, bounces.

An address without an account must prove it reads its mail before anything but
the confirmation goes there (double opt-in); a registered reader whose address
is verified joins in one click. Every change is idempotent: a second unsubscribe
changes nothing and says so, a confirmation link works once.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string

from broadsheet.core import clock, generations
from broadsheet.newsletters import conf, tokens
from broadsheet.newsletters.models import Membership, NewsletterList, Subscriber
from broadsheet.newsletters.models.subscribers import subscriber_changed
from broadsheet.newsletters.rules import RecipientFacts
from broadsheet.newsletters.selectors import lists_active, may_join, recipient_facts_for_user
from broadsheet.newsroom.selectors import publication_get

Status = Membership.Status


def normalise(email: str) -> str:
    return email.strip().lower()


def _verified(user: Any) -> bool:
    return bool(EmailAddress.objects.filter(user_id=user.pk, email__iexact=user.email, verified=True).exists())


def subscriber_for_address(*, email: str, at: datetime) -> Subscriber:
    email = normalise(email)
    try:
        with transaction.atomic():
            sub, _ = Subscriber.objects.get_or_create(email=email, defaults={"created_at": at})
    except IntegrityError:  # two sign-ups for one address at once
        sub = Subscriber.objects.get(email=email)
    return sub


def subscriber_for_user(*, user: Any, at: datetime) -> Subscriber:
    """The reader's subscriber row: theirs, or the row of their address (an address becoming an account)."""
    sub = Subscriber.objects.filter(Q(user_id=user.pk) | Q(email=normalise(user.email), user__isnull=True)).first()
    if sub is None:
        sub = subscriber_for_address(email=user.email, at=at)
    changed = []
    if sub.user_id is None:
        sub.user_id = user.pk
        changed.append("user")
    if sub.confirmed_at is None and _verified(user):
        sub.confirmed_at = at
        changed.append("confirmed_at")
    if changed:
        sub.save(update_fields=changed)
        if "confirmed_at" in changed:
            _activate_pending(sub, at)
    return sub


def _activate_pending(sub: Subscriber, at: datetime) -> int:
    started = sub.memberships.filter(status=Status.PENDING).update(status=Status.ACTIVE, subscribed_at=at)
    if started:
        generations.reader_bump(sub.user_id)
    return started


def _want(sub: Subscriber, newsletter: NewsletterList, *, status: str, source: str, at: datetime) -> bool:
    """Set one membership to `status` unless it is already active; True if something changed."""
    membership, created = Membership.objects.get_or_create(
        subscriber=sub,
        newsletter=newsletter,
        defaults={
            "status": status,
            "source": source,
            "created_at": at,
            "subscribed_at": at if status == "active" else None,
        },
    )
    if created:
        return True
    if membership.status == Status.ACTIVE or membership.status == status:
        return False
    membership.status = status
    membership.source = source
    membership.subscribed_at = at if status == Status.ACTIVE else membership.subscribed_at
    membership.save(update_fields=["status", "source", "subscribed_at"])
    return True


@dataclass(frozen=True, slots=True)
class JoinResult:
    joined: list[NewsletterList]
    pending: list[NewsletterList]  # waiting for the address to be confirmed
    refused: list[NewsletterList]  # the reader may not receive these lists


def _chosen(list_ids: Iterable[int]) -> list[NewsletterList]:
    wanted = {int(i) for i in list_ids}
    return [n for n in lists_active() if n.pk in wanted]


def memberships_join(*, user: Any, list_ids: Iterable[int], source: str, at: datetime) -> JoinResult:
    """One-click sign-up for a registered reader; an unverified address is asked to confirm first."""
    sub = subscriber_for_user(user=user, at=at)
    facts = recipient_facts_for_user(user_id=user.pk, at=at)
    joined: list[NewsletterList] = []
    pending: list[NewsletterList] = []
    refused: list[NewsletterList] = []
    for newsletter in _chosen(list_ids):
        if not may_join(newsletter, facts):
            refused.append(newsletter)
            continue
        status = Status.ACTIVE if sub.confirmed_at else Status.PENDING
        _want(sub, newsletter, status=status, source=source, at=at)
        (joined if status == Status.ACTIVE else pending).append(newsletter)
    if pending:
        confirmation_send(subscriber=sub, lists=pending, at=at)
    return JoinResult(joined, pending, refused)


def address_signup(*, email: str, list_ids: Iterable[int], source: str, at: datetime) -> JoinResult:
    """A bare address asks for lists: they wait for its confirmation, which is mailed (at most every few minutes).

    Lists an address may join without an account are the "anyone" ones. The answer
    is the same whether or not the address is known, so the form tells nobody who
    reads which newsletter.
    """
    sub = subscriber_for_address(email=email, at=at)
    anonymous = RecipientFacts(registered=False, benefits=frozenset())
    pending: list[NewsletterList] = []
    refused: list[NewsletterList] = []
    for newsletter in _chosen(list_ids):
        if not may_join(newsletter, anonymous):
            refused.append(newsletter)
            continue
        # Even a confirmed address confirms again for a new list: someone else may have typed it.
        if _want(sub, newsletter, status=Status.PENDING, source=source, at=at):
            pending.append(newsletter)
    if pending:
        confirmation_send(subscriber=sub, lists=pending, at=at)
    return JoinResult([], pending, refused)


def confirmation_send(*, subscriber: Subscriber, lists: list[NewsletterList], at: datetime) -> bool:
    """Mail the double opt-in link (after commit); False when one went out moments ago."""
    recent = subscriber.confirm_sent_at and at - subscriber.confirm_sent_at < timedelta(
        minutes=conf.confirm_resend_minutes()
    )
    if recent and subscriber.confirm_nonce:
        return False
    if not subscriber.confirm_nonce:
        subscriber.confirm_nonce = secrets.token_urlsafe(12)[:16]
    subscriber.confirm_sent_at = at
    subscriber.save(update_fields=["confirm_nonce", "confirm_sent_at"])
    publication = publication_get()
    token = tokens.confirm_token(subscriber_id=subscriber.pk, nonce=subscriber.confirm_nonce)
    pending = subscriber.memberships.filter(status=Status.PENDING).values_list("newsletter__name", flat=True)
    names = list(pending) or [n.name for n in lists]
    context = {
        "publication": publication,
        "names": names,
        "confirm_url": f"{settings.SITE_URL}/newsletters/confirm/{token}/",
        "days": conf.confirm_days(),
        "email": subscriber.email,
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your newsletter sign-up · {publication.name}",
        body=render_to_string("newsletters/mail/confirm.txt", context),
        to=[subscriber.address],
    )
    message.attach_alternative(render_to_string("newsletters/mail/confirm.html", context), "text/html")
    transaction.on_commit(message.send, robust=True)
    return True


class ConfirmError(ValueError):
    pass


def subscriber_confirm(*, token: str, at: datetime) -> tuple[Subscriber, list[str]]:
    """Use a confirmation link: the address is proven and its pending lists start. Works once."""
    try:
        subscriber_id, nonce = tokens.confirm_read(token)
    except tokens.BadToken as exc:
        raise ConfirmError(str(exc)) from exc
    with transaction.atomic():
        used = (
            Subscriber.objects.filter(pk=subscriber_id, confirm_nonce=nonce)
            .exclude(confirm_nonce="")
            .update(confirm_nonce="")
        )
        if not used:
            raise ConfirmError("this confirmation link has already been used")
        sub = Subscriber.objects.get(pk=subscriber_id)
        # The link was opened from this mailbox: it works (again, after a bounce).
        sub.confirmed_at = sub.confirmed_at or at
        sub.bounced_at, sub.bounce_reason = None, ""
        sub.save(update_fields=["confirmed_at", "bounced_at", "bounce_reason"])
        names = list(
            sub.memberships.filter(status=Status.PENDING)
            .values_list("newsletter__name", flat=True)
            .order_by("newsletter__position")
        )
        _activate_pending(sub, at)
    return sub, names


def membership_unsubscribe(
    *, subscriber_id: int, list_id: int, at: datetime, via: str, issue_id: int | None = None
) -> bool:
    """Leave one list; True if this call changed anything (a second call is a no-op)."""
    changed = (
        Membership.objects.filter(subscriber_id=subscriber_id, newsletter_id=list_id)
        .exclude(status=Status.UNSUBSCRIBED)
        .update(
            status=Status.UNSUBSCRIBED, unsubscribed_at=at, unsubscribed_via=via[:20], unsubscribed_issue_id=issue_id
        )
    )
    if changed:
        subscriber_changed(subscriber_id)
    return bool(changed)


def preferences_save(
    *, subscriber: Subscriber, wanted: Iterable[int], user_id: int | None, at: datetime, via: str
) -> int:
    """Make the subscriber's lists exactly `wanted` (among those they may join); returns how many changed.

    Whoever holds a preference link or the session reads this mailbox, so joining
    from here needs no further confirmation.
    """
    wanted_ids = {int(i) for i in wanted}
    facts = recipient_facts_for_user(user_id=user_id, at=at)
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = at
        subscriber.save(update_fields=["confirmed_at"])
    changes = 0
    for newsletter in lists_active():
        if newsletter.pk in wanted_ids and may_join(newsletter, facts):
            changes += _want(subscriber, newsletter, status=Status.ACTIVE, source=via, at=at)
        elif newsletter.pk not in wanted_ids:
            changes += membership_unsubscribe(subscriber_id=subscriber.pk, list_id=newsletter.pk, at=at, via=via)
    return changes


def subscriber_bounce(*, subscriber_id: int, reason: str, at: datetime) -> bool:
    """A hard bounce: nothing more goes to this address. True the first time."""
    return bool(
        Subscriber.objects.filter(pk=subscriber_id, bounced_at__isnull=True).update(
            bounced_at=at, bounce_reason=reason[:300]
        )
    )


# --- allauth's hooks ------------------------------------------------------------------


def on_account_event(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    """A new account takes over the subscriber row of its address (the address became an account)."""
    if user is not None and user.pk:
        subscriber_for_user(user=user, at=clock.now())


def on_email_confirmed(sender: Any, request: Any = None, email_address: Any = None, **kwargs: Any) -> None:
    """An account's address was verified: its newsletters waiting for that start."""
    user = getattr(email_address, "user", None)
    if user is not None:
        subscriber_for_user(user=user, at=clock.now())
