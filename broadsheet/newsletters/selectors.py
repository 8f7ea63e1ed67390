"""Reads for the newsletters' pages, the account page and the desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from broadsheet.billing.entitlements import benefits_of
from broadsheet.core.generations import GenerationCache, ReaderCache
from broadsheet.newsletters.models import Issue, Membership, NewsletterList, Subscriber
from broadsheet.newsletters.rules import Audience, DeliveryStatus, IssueStatus, RecipientFacts, may_receive

_lists: GenerationCache[list[NewsletterList]] = GenerationCache("newsletters", maxsize=8)
PUBLIC_STATUSES = (IssueStatus.SENDING, IssueStatus.PAUSED, IssueStatus.SENT)


def lists_active() -> list[NewsletterList]:
    """Every list that takes sign-ups, in order, with benefit and sections loaded (cached until a list changes)."""

    def build() -> list[NewsletterList]:
        return list(
            NewsletterList.objects.filter(is_active=True)
            .select_related("required_benefit")
            .prefetch_related("sections")
        )

    return _lists.get("active", build)


def _offered(article: object, lists: list[NewsletterList]) -> list[NewsletterList]:
    """Lists about this story's section first, then the general ones."""
    section_id = getattr(article, "section_id", None)
    about = [n for n in lists if section_id in {s.pk for s in n.sections.all()}]
    general = [n for n in lists if not n.sections.all()]
    return about + [n for n in general if n not in about]


@dataclass(frozen=True, slots=True)
class SignupOffer:
    """What the sign-up box at the end of a story offers one reader."""

    choice: NewsletterList | None  # the list to join here, or None when none is left to offer
    registered_only: NewsletterList | None  # for a visitor: a list that needs a free account


def signup_offer(*, article: object, user_id: int | None, at: datetime) -> SignupOffer:
    """One list to join, chosen for the story and the reader (`user_id` None: not signed in)."""
    active = lists_active()
    offered = _offered(article, active)
    lists = offered or active
    if user_id is not None:
        statuses = statuses_for_user(user_id)
        facts = recipient_facts_for_user(user_id=user_id, at=at)
        choice = next((n for n in lists if statuses.get(n.pk) != Membership.Status.ACTIVE and may_join(n, facts)), None)
        return SignupOffer(choice=choice, registered_only=None)
    choice = next((n for n in lists if n.audience_value is Audience.ANYONE), None)
    everything = offered + active
    registered_only = next((n for n in everything if n.audience_value is Audience.REGISTERED), None)
    return SignupOffer(choice=choice, registered_only=registered_only)


def recipient_facts_for_user(*, user_id: int | None, at: datetime) -> RecipientFacts:
    if user_id is None:
        return RecipientFacts(registered=False, benefits=frozenset())
    return RecipientFacts(registered=True, benefits=benefits_of(user_id=user_id, at=at))


def may_join(newsletter: NewsletterList, facts: RecipientFacts) -> bool:
    """Could this reader sign up for the list now (address confirmation aside)?"""
    return may_receive(
        audience=newsletter.audience_value,
        benefit=newsletter.benefit_code,
        recipient=RecipientFacts(registered=facts.registered, benefits=facts.benefits),
    )


@dataclass(frozen=True, slots=True)
class PreferenceRow:
    newsletter: NewsletterList
    status: str | None  # a Membership.Status value, or None
    may_join: bool

    @property
    def is_on(self) -> bool:
        return self.status == Membership.Status.ACTIVE

    @property
    def is_pending(self) -> bool:
        return self.status == Membership.Status.PENDING

    @property
    def needs(self) -> str:
        """Why a reader may not join: shown next to the box they cannot tick."""
        if self.newsletter.audience_value is Audience.REGISTERED:
            return "Free for registered readers"
        if self.newsletter.audience_value is Audience.BENEFIT:
            return "For subscribers"
        return ""


def preference_rows(*, subscriber: Subscriber | None, user_id: int | None, at: datetime) -> list[PreferenceRow]:
    facts = recipient_facts_for_user(user_id=user_id, at=at)
    statuses: dict[int, str] = {}
    if subscriber is not None and subscriber.pk:
        statuses = dict(subscriber.memberships.values_list("newsletter_id", "status"))
    return [PreferenceRow(n, statuses.get(n.pk), may_join(n, facts)) for n in lists_active()]


# Per reader and worker, good while the reader's stamp holds: every membership or subscriber write
# bumps it (models.subscribers), so the box at the end of a story asks the database once per change.
_statuses: ReaderCache[dict[int, str]] = ReaderCache("newsletter-statuses", maxsize=2_000)


def statuses_for_user(user_id: int) -> dict[int, str]:
    """The reader's membership status per list id, for the sign-up box (kept; treat as read-only)."""
    return _statuses.get(
        user_id,
        lambda: dict(Membership.objects.filter(subscriber__user_id=user_id).values_list("newsletter_id", "status")),
    )


def issues_public(newsletter: NewsletterList) -> QuerySet[Issue]:
    return newsletter.issues.filter(status__in=PUBLIC_STATUSES).order_by("-started_at")


def issue_counts(issue_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per issue: recipients and deliveries by status, and the unsubscribes its mails brought."""
    out: dict[int, dict[str, int]] = {
        i: {s.value: 0 for s in DeliveryStatus} | {"recipients": 0, "unsubscribed": 0} for i in issue_ids
    }
    rows = (
        Issue.objects.filter(pk__in=issue_ids)
        .annotate(
            recipients=Count("deliveries"),
            **{s.value: Count("deliveries", filter=Q(deliveries__status=s.value)) for s in DeliveryStatus},
        )
        .values("pk", "recipients", *[s.value for s in DeliveryStatus])
    )
    for row in rows:
        out[row.pop("pk")].update(row)
    for iid, n in (
        Membership.objects.filter(unsubscribed_issue_id__in=issue_ids)
        .values_list("unsubscribed_issue_id")
        .annotate(n=Count("id"))
    ):
        out[iid]["unsubscribed"] = n
    return out
