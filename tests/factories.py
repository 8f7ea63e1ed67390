"""Small builders for test data. Each article body carries one unique token per
paragraph, so a leak test can search any response for the locked paragraphs."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from broadsheet.billing.models import Benefit, Plan, Subscription
from broadsheet.billing.statements import day_words
from broadsheet.billing.subscriptions.services import subscription_grant
from broadsheet.newsroom.models import Agency, Article, Author, Publication, Section
from broadsheet.readers.models import User

_seq = itertools.count(1)
PASSWORD = "a-long-test-passphrase"


def publication(**overrides: object) -> Publication:
    pub = Publication.objects.first()
    if pub is None:
        pub = Publication.objects.create(**{"name": "The Test Gazette", **overrides})
    elif overrides:
        for k, v in overrides.items():
            setattr(pub, k, v)
        pub.save()
    return pub


def day_shown(at: datetime | None) -> str:
    """A date as the site's pages write it: in the publication's time zone, which between
    18:30 and 24:00 UTC is already the next day."""
    with timezone.override(publication().time_zone):
        return day_words(at)


def section(slug: str = "news", name: str | None = None) -> Section:
    sec, _ = Section.objects.get_or_create(slug=slug, defaults={"name": name or slug.title()})
    return sec


def author(name: str = "Asha Rao") -> Author:
    from django.utils.text import slugify

    obj, _ = Author.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return obj


def agency(code: str = "PNS", *, meter_exempt: bool = False) -> Agency:
    obj, _ = Agency.objects.get_or_create(code=code, defaults={"name": f"{code} Wire", "meter_exempt": meter_exempt})
    return obj


@dataclass
class Story:
    article: Article
    tokens: list[str]  # one per paragraph, in order

    @property
    def locked_tokens(self) -> list[str]:
        """Tokens a blocked reader must never receive: every paragraph past the first."""
        return self.tokens[1:]

    @property
    def url(self) -> str:
        return self.article.get_absolute_url()


def story(
    *,
    access: str = Article.Access.METERED,
    paragraphs: int = 5,
    sec: Section | None = None,
    wire: Agency | None = None,
    published_at: datetime | None = None,
    status: str = Article.Status.PUBLISHED,
    headline: str | None = None,
) -> Story:
    n = next(_seq)
    tokens = [f"tok{n}x{i}qz" for i in range(paragraphs)]
    body = "\n".join(f"<p>Paragraph {i} of story {n} says {tok} and more.</p>" for i, tok in enumerate(tokens))
    art = Article.objects.create(
        headline=headline or f"Story number {n}",
        slug=f"story-{n}",
        standfirst=f"The summary of story {n}.",
        body=body,
        section=sec or section(),
        agency=wire,
        desk_initials="ksk" if wire else "",
        access=access,
        status=status,
        published_at=published_at or timezone.now() - timedelta(hours=1),
    )
    if wire is None:
        art.authors.add(author())
    return Story(article=art, tokens=tokens)


def reader(email: str | None = None, **extra: object) -> User:
    return User.objects.create_user(email or f"reader{next(_seq)}@example.com", PASSWORD, **extra)


def premium_plan() -> Plan:
    plan, created = Plan.objects.get_or_create(
        slug="smart-essential", defaults={"name": "Smart Essential", "price_minor": 270000, "period_months": 12}
    )
    if created:
        benefit, _ = Benefit.objects.get_or_create(code="premium", defaults={"name": "Premium stories"})
        plan.benefits.add(benefit)
    return plan


def demo_plans() -> list[Plan]:
    benefit, _ = Benefit.objects.get_or_create(code="premium", defaults={"name": "Premium stories"})
    plans = []
    for order, (slug, name, price, months) in enumerate(
        [
            ("smart-quarterly", "Smart Quarterly", 90000, 3),
            ("smart-essential", "Smart Essential", 270000, 12),
            ("super-saver", "Super Saver", 390000, 24),
        ],
        start=1,
    ):
        plan, _ = Plan.objects.get_or_create(
            slug=slug, defaults={"name": name, "price_minor": price, "period_months": months, "display_order": order}
        )
        plan.benefits.add(benefit)
        plans.append(plan)
    return plans


def subscriber(email: str | None = None) -> User:
    user = reader(email)
    subscription_grant(user_id=user.pk, plan=premium_plan(), start=timezone.now() - timedelta(days=1))
    return user


__all__ = ["PASSWORD", "Story", "Subscription", "publication", "story"]
