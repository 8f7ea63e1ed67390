"""Newsletters through the API: the lists, the reader's subscriptions, subscribe and unsubscribe.

The same rules as the web's newsletter pages, through the same services: a reader whose
address is verified joins in one step, an unverified one gets the confirmation mail and
waits (`pending`); a list for subscribers needs its benefit (`403 not_entitled`); leaving
is idempotent (a second unsubscribe changes nothing and is still a 204).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.params import P, PathEx
from pydantic import Field

from broadsheet.api.idempotency import idempotent
from broadsheet.api.problems import Problem, responses
from broadsheet.core import clock
from broadsheet.newsletters import selectors, subscribers
from broadsheet.newsletters.models import Membership, NewsletterList
from broadsheet.newsletters.selectors import PreferenceRow
from broadsheet.readers.api_auth import OPTIONAL_TOKEN, device_token, token_or_anonymous, user_id_of

router = Router(tags=["Newsletters"], auth=device_token)
Slug = PathEx[str, P(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]


class NewsletterOut(Schema):
    slug: str
    name: str
    description: str
    cadence: str = Field(description="daily, weekdays, weekly or occasional")
    cadence_text: str = Field(description='e.g. "Every morning at 7 am"')
    audience: str = Field(description="anyone, registered (an account) or benefit (subscribers)")
    benefit: str | None = Field(description="For subscriber lists: the benefit code a reader must hold")
    format: str = Field(description="summaries (with links) or full (stories for readers entitled to them)")
    archive_url: str = Field(description="Past issues on the web")
    may_join: bool = Field(description="Whether this reader may subscribe now")
    needs: str = Field(description="When they may not: what it takes, in words")
    status: str | None = Field(description="This reader's subscription: active, pending, unsubscribed; null: never")


class NewslettersOut(Schema):
    items: list[NewsletterOut]


class MyNewslettersOut(Schema):
    email: str = Field(description="Where the newsletters go")
    confirmed: bool = Field(description="Whether the address is confirmed; until it is, sign-ups wait (pending)")
    subscribed: list[str] = Field(description="Slugs of the lists this reader receives")
    items: list[NewsletterOut]


class MembershipOut(Schema):
    newsletter: NewsletterOut
    status: str = Field(description="active, or pending: confirm the address with the link just mailed")
    confirmed_at: datetime | None = Field(description="When the address was confirmed")


def _out(row: PreferenceRow) -> NewsletterOut:
    n = row.newsletter
    return NewsletterOut(
        slug=n.slug,
        name=n.name,
        description=n.description,
        cadence=n.cadence,
        cadence_text=n.cadence_display,
        audience=n.audience,
        benefit=n.benefit_code,
        format=n.format,
        archive_url=settings.SITE_URL + n.get_absolute_url(),
        may_join=row.may_join,
        needs="" if row.may_join else row.needs,
        status=row.status,
    )


def _list_or_404(slug: str) -> NewsletterList:
    found = next((n for n in selectors.lists_active() if n.slug == slug), None)
    if found is None:
        raise Problem("not_found", "No such newsletter.")
    return found


@router.get(
    "/newsletters",
    summary="The newsletters",
    response={200: NewslettersOut, **responses(401)},
    auth=token_or_anonymous,
    openapi_extra=OPTIONAL_TOKEN,
)
def newsletters_list(request: HttpRequest) -> NewslettersOut:
    """Every list that takes sign-ups, in order, and whether this reader may join it (with a token,
    their status on each too)."""
    user = request.user if request.user.is_authenticated else None
    sub = subscribers.subscriber_for_user(user=user, at=clock.now()) if user is not None else None
    rows = selectors.preference_rows(subscriber=sub, user_id=user.pk if user else None, at=clock.now())
    return NewslettersOut(items=[_out(r) for r in rows])


@router.get(
    "/me/newsletters",
    summary="The reader's newsletters",
    response={200: MyNewslettersOut, **responses(401)},
)
def my_newsletters(request: HttpRequest) -> MyNewslettersOut:
    """The reader's address, whether it is confirmed, and each list with their status on it."""
    user_id_of(request)
    now = clock.now()
    sub = subscribers.subscriber_for_user(user=request.user, at=now)
    rows = selectors.preference_rows(subscriber=sub, user_id=request.user.pk, at=now)
    return MyNewslettersOut(
        email=sub.address,
        confirmed=sub.confirmed_at is not None,
        subscribed=[r.newsletter.slug for r in rows if r.is_on],
        items=[_out(r) for r in rows],
    )


@router.put(
    "/me/newsletters/{slug}",
    summary="Subscribe to a newsletter",
    response={200: MembershipOut, **responses(401, 403, 404)},
)
@decorate_view(idempotent())
def newsletter_subscribe(request: HttpRequest, slug: Slug) -> MembershipOut:
    """Subscribe. Active at once for a verified address; otherwise `pending` until the reader
    follows the confirmation link mailed now (at most one mail every few minutes). Subscribing
    again changes nothing. A list for subscribers needs its benefit: `403 not_entitled`."""
    user_id_of(request)
    newsletter = _list_or_404(slug)
    now = clock.now()
    result = subscribers.memberships_join(user=request.user, list_ids=[newsletter.pk], source="app", at=now)
    if result.refused:
        raise Problem("not_entitled", f"{newsletter.name} is for subscribers only.")
    sub = subscribers.subscriber_for_user(user=request.user, at=now)
    row = next(
        r
        for r in selectors.preference_rows(subscriber=sub, user_id=request.user.pk, at=now)
        if r.newsletter.pk == newsletter.pk
    )
    return MembershipOut(
        newsletter=_out(row), status=row.status or Membership.Status.PENDING, confirmed_at=sub.confirmed_at
    )


@router.delete(
    "/me/newsletters/{slug}",
    summary="Unsubscribe from a newsletter",
    response={204: None, **responses(401, 404)},
)
@decorate_view(idempotent())
def newsletter_unsubscribe(request: HttpRequest, slug: Slug) -> Status[None]:
    """Stop receiving the list. Nothing more is sent from it; a second call changes nothing."""
    user_id_of(request)
    newsletter = _list_or_404(slug)
    now = clock.now()
    sub = subscribers.subscriber_for_user(user=request.user, at=now)
    subscribers.membership_unsubscribe(subscriber_id=sub.pk, list_id=newsletter.pk, at=now, via="app")
    return Status(204, None)
