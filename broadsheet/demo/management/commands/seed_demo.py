"""`broadsheet seed-demo`: fill an empty database with the demo publication, plans and accounts.

Safe to run any number of times, and `make demo` runs it on every start. Every row is
keyed (slugs, codes, e-mail addresses) and created only when missing: a row that exists
is left exactly as it is, so a second run changes nothing, article dates (relative to
the first run's "now") stay where they were put, and what an editor changed in the admin
(a plan's price, the registration wall) survives a restart. The only rows brought up to
date are the ones derived from settings: the Site's domain and the demo editor's staff
flag and group. The subscriber is granted a subscription only if they have none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand
from django.db import models, transaction

from broadsheet.billing.models import Benefit, Offer, Organisation, OrganisationNetwork, Plan, Subscription
from broadsheet.billing.subscriptions.services import subscription_grant
from broadsheet.core.clock import now as clock_now
from broadsheet.demo import accounts, publication, stories
from broadsheet.demo.pictures import logo_seed, pictures_seed
from broadsheet.newsroom.groups import groups_ensure
from broadsheet.newsroom.models import Agency, Article, Author, Publication, Section, Tag
from broadsheet.pages import demo as demo_pages
from broadsheet.wire.demo_outcomes import wire_desk_seed

PROGRESS_EVERY = 10
SUMMARY_ORDER = (
    "articles",
    "sections",
    "authors",
    "agencies",
    "tags",
    "benefits",
    "plans",
    "offers",
    "organisations",
    "accounts",
    "subscriptions",
    "publication",
    "pictures",
    "pages",
    "wire sources",
)


def _noun(plural: str, n: int) -> str:
    """The noun for a count: "1 subscription", "2 subscriptions"; the kinds' plurals are regular apart from agencies."""
    if n != 1 or not plural.endswith("s"):
        return plural
    return "agency" if plural == "agencies" else plural[:-1]


@dataclass
class Tally:
    """How many rows of one kind the run saw, and how many of those it created."""

    total: int = 0
    new: int = 0

    def add(self, created: bool) -> None:
        self.total += 1
        self.new += int(created)


@dataclass
class Report:
    tallies: dict[str, Tally] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        self.tallies.setdefault(kind, Tally()).add(created)

    def summary(self) -> str:
        kinds = [k for k in SUMMARY_ORDER if k in self.tallies] + [k for k in self.tallies if k not in SUMMARY_ORDER]
        parts = [
            f"{self.tallies[k].total} {_noun(k, self.tallies[k].total)} ({self.tallies[k].new} new)" for k in kinds
        ]
        return "Seeded: " + ", ".join(parts) + "."


def ensure[M: models.Model](model: type[M], lookup: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[M, bool]:
    """Create the row with `values` if it is missing; an existing row is not touched."""
    return model._default_manager.get_or_create(**lookup, defaults=dict(values))


def upsert[M: models.Model](model: type[M], lookup: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[M, bool]:
    """Get or create the row; bring `values` up to date, saving only when one differs."""
    obj, created = ensure(model, lookup, values)
    if not created:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()
    return obj, created


def publication_seed(report: Report) -> Publication:
    """The one publication row: created with the demo settings if there is none."""
    pub = Publication.objects.order_by("id").first()
    created = pub is None
    if pub is None:
        pub = Publication.objects.create(**publication.PUBLICATION)
    report.count("publication", created)
    return pub


def publication_contacts_seed(pub: Publication) -> None:
    """The grievance officer's details, filled only where the publisher has left them empty."""
    empty = {k: v for k, v in demo_pages.GRIEVANCE_OFFICER.items() if not getattr(pub, k)}
    if empty:
        for name, value in empty.items():
            setattr(pub, name, value)
        pub.save(update_fields=[*empty, "updated_at"])


def site_seed(name: str) -> None:
    """Site 1 (allauth's e-mails, sitemaps) follows BROADSHEET_SITE_URL, so this one is kept up to date."""
    domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    upsert(Site, {"pk": settings.SITE_ID}, {"domain": domain, "name": name})
    Site.objects.clear_cache()


def sections_seed(report: Report, benefits: Iterable[Benefit]) -> dict[str, Section]:
    by_code = {b.code: b for b in benefits}
    sections = {}
    for position, (slug, name, description) in enumerate(publication.SECTIONS, start=1):
        values = {"name": name, "description": description, "position": position * 10}
        if slug in publication.PREMIUM_SECTIONS:  # a premium section of its own, locked to its benefit
            values["required_benefit"] = by_code[publication.PREMIUM_SECTIONS[slug]]
        sections[slug], created = ensure(Section, {"slug": slug}, values)
        report.count("sections", created)
    return sections


def authors_seed(report: Report) -> dict[str, Author]:
    authors = {}
    for slug, name, role, bio in publication.AUTHORS:
        authors[slug], created = ensure(Author, {"slug": slug}, {"name": name, "role": role, "bio": bio})
        report.count("authors", created)
    return authors


def agencies_seed(report: Report) -> dict[str, Agency]:
    agencies = {}
    for code, name in publication.AGENCIES:
        agencies[code], created = ensure(Agency, {"code": code}, {"name": name})
        report.count("agencies", created)
    return agencies


def tags_seed(report: Report) -> dict[str, Tag]:
    tags = {}
    for slug, name in publication.TAGS:
        tags[slug], created = ensure(Tag, {"slug": slug}, {"name": name})
        report.count("tags", created)
    return tags


@dataclass(frozen=True)
class Newsroom:
    sections: dict[str, Section]
    authors: dict[str, Author]
    agencies: dict[str, Agency]
    tags: dict[str, Tag]


def article_create(story: stories.Story, index: int, newsroom: Newsroom, at: datetime) -> Article:
    published_at = stories.published_at_for(story, at)
    article = Article.objects.create(
        slug=story.slug,
        headline=story.headline,
        standfirst=story.standfirst,
        body=stories.body_for(story, published_at, index),
        section=newsroom.sections[story.section],
        agency=newsroom.agencies[story.agency] if story.agency else None,
        desk_initials=story.desk,
        access=story.access,
        status=story.status,
        is_top_story=story.top,
        published_at=published_at,
    )
    if story.authors:
        article.authors.set([newsroom.authors[slug] for slug in story.authors])
    if story.tags:
        article.tags.set([newsroom.tags[slug] for slug in story.tags])
    return article


def articles_seed(report: Report, newsroom: Newsroom, progress: Callable[[str], None]) -> None:
    """Create-only: a story whose slug exists is left exactly as it is."""
    at = clock_now()
    existing = set(Article.objects.filter(slug__in=[s.slug for s in stories.STORIES]).values_list("slug", flat=True))
    total = len(stories.STORIES)
    for index, story in enumerate(stories.STORIES):
        created = story.slug not in existing
        if created:
            article_create(story, index, newsroom, at)
        report.count("articles", created)
        done = index + 1
        if done % PROGRESS_EVERY == 0 or done == total:
            progress(f"articles: {done}/{total}")


def benefits_seed(report: Report) -> list[Benefit]:
    benefits = []
    for position, (code, name, description) in enumerate(accounts.BENEFITS, start=1):
        benefit, created = ensure(
            Benefit, {"code": code}, {"name": name, "description": description, "position": position}
        )
        benefits.append(benefit)
        report.count("benefits", created)
    return benefits


def plans_seed(report: Report, benefits: Iterable[Benefit]) -> dict[str, Plan]:
    plans = {}
    for order, (slug, name, price_minor, months) in enumerate(accounts.PLANS, start=1):
        values = {
            "name": name,
            "price_minor": price_minor,
            "currency": "INR",
            "period_months": months,
            "is_active": True,
            "display_order": order,
            "is_recommended": slug == accounts.RECOMMENDED_PLAN,
        }
        plan, created = ensure(Plan, {"slug": slug}, values)
        if created:
            plan.benefits.set(benefits)
        plans[slug] = plan
        report.count("plans", created)
    return plans


def offers_seed(report: Report) -> None:
    for code, description, kind, value in accounts.OFFERS:
        _, created = ensure(Offer, {"code": code}, {"description": description, "kind": kind, "value": value})
        report.count("offers", created)


def organisation_seed(report: Report, plans: Mapping[str, Plan]) -> None:
    name, plan_slug, seats, join_code, networks = accounts.ORGANISATION
    start = clock_now() - timedelta(days=accounts.SUBSCRIPTION_STARTED_DAYS_AGO)
    values = {"name": name, "plan": plans[plan_slug], "seats": seats, "starts_at": start}
    org, created = ensure(Organisation, {"join_code": join_code}, {**values, "ends_at": start + timedelta(days=365)})
    for cidr in networks:
        ensure(OrganisationNetwork, {"organisation": org, "cidr": cidr}, {"note": "documentation range"})
    report.count("organisations", created)


def account_seed(email: str, display_name: str, role: str) -> tuple[Any, bool]:
    """The account with its verified address; the password is set only when the account is created."""
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = user_model.objects.create_user(email=email, password=accounts.DEMO_PASSWORD, display_name=display_name)
    if role in accounts.STAFF_GROUPS and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if not EmailAddress.objects.filter(user=user, email__iexact=email).exists():
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, created


def accounts_seed(report: Report, plans: Mapping[str, Plan]) -> None:
    groups_ensure()
    groups = {role: Group.objects.get(name=name) for role, name in accounts.STAFF_GROUPS.items()}
    for email, display_name, role in accounts.ACCOUNTS:
        user, created = account_seed(email, display_name, role)
        report.count("accounts", created)
        if role in groups:
            user.groups.add(groups[role])  # adding an existing membership is a no-op
        if role == "subscriber":
            has_any = Subscription.objects.filter(user=user).exists()
            if not has_any:
                start = clock_now() - timedelta(days=accounts.SUBSCRIPTION_STARTED_DAYS_AGO)
                subscription_grant(
                    user_id=user.pk,
                    plan=plans[accounts.SUBSCRIBER_PLAN],
                    start=start,
                    gateway="test",
                    mandate_ref=accounts.SUBSCRIBER_MANDATE,
                )
            report.count("subscriptions", not has_any)


class Command(BaseCommand):
    help = "Seed the demo publication: sections, people, ~66 stories, benefits, plans and demo accounts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-pictures", action="store_true", help="Skip drawing the stories' pictures (a faster, plainer demo)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] >= 1

        def progress(line: str) -> None:
            if verbose:
                self.stdout.write(line)

        report = Report()
        with transaction.atomic():
            pub = publication_seed(report)
            site_seed(pub.name)
            benefits = benefits_seed(report)
            newsroom = Newsroom(
                sections=sections_seed(report, benefits),
                authors=authors_seed(report),
                agencies=agencies_seed(report),
                tags=tags_seed(report),
            )
            progress("newsroom: publication, sections, authors, agencies, tags")
            articles_seed(report, newsroom, progress)
            if not options["no_pictures"]:
                pictures_seed(report.count, progress)
                logo_seed(pub)
            publication_contacts_seed(pub)
            report.tallies["pages"] = Tally(len(demo_pages.PAGES), demo_pages.pages_seed())
            report.count("wire sources", wire_desk_seed())
            plans = plans_seed(report, benefits)
            offers_seed(report)
            organisation_seed(report, plans)
            progress("billing: benefits, plans, offers, a group licence")
            accounts_seed(report, plans)
            progress("accounts: reader, subscriber, editor, wire desk")
        if verbose:
            self.stdout.write(self.style.SUCCESS(report.summary()))
