"""`seed_demo` builds the documented demo, and a second run changes nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.core import serializers
from django.core.management import call_command
from django.db import models
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone

from broadsheet.billing.models import Benefit, Plan, Subscription
from broadsheet.demo import stories
from broadsheet.newsroom.models import Agency, Article, Author, Publication, Section, Tag
from broadsheet.pictures.models import Picture
from broadsheet.readers.models import User
from broadsheet.wire.decide import Outcome
from broadsheet.wire.models import WireItem

pytestmark = pytest.mark.django_db

PASSWORD = "broadsheet-demo"
SEEDED_MODELS: tuple[type[models.Model], ...] = (
    Publication,
    Section,
    Author,
    Agency,
    Tag,
    Article,
    Benefit,
    Plan,
    User,
    EmailAddress,
    Subscription,
)
BENEFITS = {
    "premium": "Premium stories",
    "partner": "Partner publication access",
    "epaper": "E-paper",
    "newsletters": "Curated newsletters",
    "market_analysis": "Market analysis",
    "archive": "Archive back to 1997",
    "ad_free": "Ad-free reading",
    "every_device": "Every device",
}
PLANS = {
    "smart-quarterly": ("Smart Quarterly", 90000, 3, 1),
    "smart-essential": ("Smart Essential", 270000, 12, 2),
    "super-saver": ("Super Saver", 390000, 24, 3),
}
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def seed(*, pictures: bool = False) -> str:
    """Seed the demo; without its pictures unless asked (drawing them takes seconds; one test does)."""
    out = StringIO()
    call_command("seed_demo", stdout=out, no_pictures=not pictures)
    return out.getvalue()


def demo_articles() -> QuerySet[Article]:
    """The demo's own stories (the wire desk's demo items are stories too, but of the wire)."""
    return Article.objects.filter(slug__in=[s.slug for s in stories.STORIES])


def snapshot() -> str:
    """Every seeded row, every field: equal snapshots mean nothing was written."""
    rows = []
    for model in SEEDED_MODELS:
        rows.append(serializers.serialize("json", model._default_manager.order_by("pk")))
    rows.append(str(sorted(Article.authors.through.objects.values_list("article_id", "author_id"))))
    rows.append(str(sorted(Article.tags.through.objects.values_list("article_id", "tag_id"))))
    rows.append(str(sorted(Plan.benefits.through.objects.values_list("plan_id", "benefit_id"))))
    rows.append(str(sorted(User.groups.through.objects.values_list("user_id", "group_id"))))
    return "\n".join(rows)


@pytest.fixture(autouse=True)
def _fast_hashing(settings: object) -> None:
    """Every test seeds the three accounts; a cheap hasher keeps that quick (the check is the same)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def seeded() -> str:
    return seed()


def test_second_run_creates_and_changes_nothing(seeded: str) -> None:
    counts = {model: model._default_manager.count() for model in SEEDED_MODELS}
    dates = dict(Article.objects.values_list("slug", "published_at"))
    before = snapshot()

    output = seed()

    assert {model: model._default_manager.count() for model in SEEDED_MODELS} == counts
    assert dict(Article.objects.values_list("slug", "published_at")) == dates
    assert snapshot() == before
    assert re.search(r"Seeded: \d+ articles \(0 new\)", output)
    assert "(1 new)" not in output and not re.search(r"\(([1-9]\d*) new\)", output)


def test_reports_progress_and_summary(seeded: str) -> None:
    total = len(stories.STORIES)
    assert f"articles: 10/{total}" in seeded
    assert f"articles: {total}/{total}" in seeded
    summary = seeded.strip().splitlines()[-1]
    assert summary.startswith(f"Seeded: {total} articles ({total} new), 8 sections (8 new)")
    assert "3 plans (3 new)" in summary and "4 accounts (4 new)" in summary


def test_publication_and_site(seeded: str) -> None:
    pub = Publication.objects.get()
    assert pub.name == "The Broadsheet Daily"
    assert pub.legal_name == "Broadsheet Media Private Limited"
    assert pub.tagline
    assert (pub.time_zone, pub.currency) == ("Asia/Kolkata", "INR")
    assert (pub.anonymous_free_limit, pub.registered_free_limit, pub.registration_wall) == (5, 5, False)
    site = Site.objects.get(pk=1)
    assert site.name == "The Broadsheet Daily"
    assert site.domain == settings.SITE_URL.split("://", 1)[1].split("/", 1)[0]


def test_newsroom(seeded: str) -> None:
    assert Section.objects.count() >= 6
    assert Section.objects.get(slug="market-analysis").name == "Market Analysis"
    assert Author.objects.exclude(role="").count() >= 5
    assert set(Agency.objects.values_list("code", flat=True)) == {"CPS", "MWA"}
    assert Tag.objects.count() >= 5


def test_articles_mix(seeded: str) -> None:
    now = timezone.now()
    published = demo_articles().filter(status=Article.Status.PUBLISHED)
    assert published.count() >= 64
    assert published.filter(access=Article.Access.PREMIUM).count() >= 10
    assert published.filter(access=Article.Access.FREE).count() >= 3
    assert published.filter(access=Article.Access.METERED).count() > published.count() // 2
    assert published.filter(published_at__gte=now - timedelta(hours=48), published_at__lte=now).count() >= 8
    assert published.filter(is_top_story=True).count() >= 5
    years = {d.year for d in published.values_list("published_at", flat=True)}
    assert {1997, 2005, 2014, 2020} <= years
    assert published.filter(published_at__gte=now - timedelta(days=42)).count() > published.count() // 2
    assert not published.filter(published_at__gt=now).exists()


def test_wire_and_bylines(seeded: str) -> None:
    wire = demo_articles().filter(agency__isnull=False)
    assert wire.count() >= 12
    for article in wire:
        assert not article.authors.exists()
        assert re.fullmatch(r"[a-z]{2,4}", article.desk_initials)
    for article in Article.objects.filter(agency__isnull=True):
        assert article.authors.exists(), article.slug


def test_draft_and_scheduled(seeded: str) -> None:
    draft = demo_articles().get(status=Article.Status.DRAFT)
    assert draft.published_at is None
    scheduled = demo_articles().get(status=Article.Status.SCHEDULED)
    ahead = scheduled.published_at - timezone.now()
    assert timedelta(days=1) < ahead < timedelta(days=3)
    assert not Article.objects.live(timezone.now()).filter(pk__in=[draft.pk, scheduled.pk]).exists()


def test_bodies_are_readable_and_distinct(seeded: str) -> None:
    seen: set[str] = set()
    for article in demo_articles():
        paragraphs = PARAGRAPH.findall(article.body)
        assert 4 <= len(paragraphs) <= 7, article.slug
        assert len(set(paragraphs)) == len(paragraphs), article.slug
        assert not seen & set(paragraphs), article.slug
        seen |= set(paragraphs)
        assert article.lead == f"<p>{paragraphs[0]}</p>"
        for text in paragraphs:
            assert len(text.split()) >= 12, (article.slug, text)
            assert "{" not in text and "}" not in text and "lorem" not in text.lower()


def test_benefits_and_plans(seeded: str) -> None:
    assert dict(Benefit.objects.values_list("code", "name")) == BENEFITS
    assert all(Benefit.objects.values_list("description", flat=True))
    assert list(Plan.objects.values_list("slug", flat=True)) == list(PLANS)
    for plan in Plan.objects.all():
        assert (plan.name, plan.price_minor, plan.period_months, plan.display_order) == PLANS[plan.slug]
        assert plan.is_active and plan.currency == "INR"
        assert set(plan.benefits.values_list("code", flat=True)) == set(BENEFITS)
    assert [p.price_display for p in Plan.objects.all()] == ["₹900", "₹2,700", "₹3,900"]


def test_demo_accounts(seeded: str) -> None:
    for email in ("reader@example.com", "subscriber@example.com", "editor@example.com"):
        user = authenticate(email=email, password=PASSWORD)
        assert user is not None and user.email == email
        assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()

    reader = User.objects.get(email="reader@example.com")
    assert not reader.subscriptions.exists() and not reader.is_staff

    editor = User.objects.get(email="editor@example.com")
    assert editor.is_staff and not editor.is_superuser
    assert editor.groups.filter(name="Editors").exists()
    assert Group.objects.get(name="Editors").permissions.filter(codename="change_article").exists()

    sub = Subscription.objects.get(user__email="subscriber@example.com")
    assert sub.plan.slug == "smart-essential" and sub.status == Subscription.Status.ACTIVE
    started = timezone.now() - sub.current_period_start
    assert timedelta(days=29) < started < timedelta(days=31)
    assert sub.current_period_start < timezone.now() < sub.current_period_end


def test_rerun_keeps_what_editors_changed(seeded: str) -> None:
    """`make demo` seeds on every start; settings changed in the admin must survive it."""
    Publication.objects.update(registration_wall=True, anonymous_free_limit=3)
    Plan.objects.filter(slug="super-saver").update(price_minor=350000)
    Section.objects.filter(slug="opinion").update(name="Views")
    seed()
    assert Publication.objects.filter(registration_wall=True, anonymous_free_limit=3).exists()
    assert Plan.objects.get(slug="super-saver").price_minor == 350000
    assert Section.objects.get(slug="opinion").name == "Views"


def test_existing_subscription_is_left_alone(seeded: str) -> None:
    Subscription.objects.update(status=Subscription.Status.EXPIRED, access_until=None)
    seed()
    assert Subscription.objects.filter(user__email="subscriber@example.com").count() == 1


def test_body_generator_is_deterministic() -> None:
    at = timezone.now()
    for index, story in enumerate(stories.STORIES):
        published_at = stories.published_at_for(story, at)
        assert stories.body_for(story, published_at, index) == stories.body_for(story, published_at, index)
    assert len({s.slug for s in stories.STORIES}) == len(stories.STORIES)


@pytest.mark.django_db
def test_market_analysis_is_a_premium_section_of_its_own() -> None:
    call_command("seed_demo", verbosity=0)
    section = Section.objects.get(slug="market-analysis")
    assert section.required_benefit is not None
    assert section.required_benefit.code == "market_analysis"


def test_the_demo_stories_carry_pictures_drawn_by_our_own_code(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    first = seed(pictures=True)
    pictured = demo_articles().filter(lead_picture__isnull=False).select_related("lead_picture", "section")
    assert pictured.count() >= 20
    assert all(a.lead_picture.alt.strip() and a.lead_picture.credit for a in pictured)
    charts = [a for a in pictured if a.section.slug in ("markets", "market-analysis")]
    assert charts and all(a.lead_picture.alt.startswith("Line chart") for a in charts)
    assert demo_articles().filter(body__contains="/media/pictures/").exists()  # a chart inside a body too
    assert Publication.objects.get().logo is not None
    assert "pictures: " in first
    before = Picture.objects.count()
    seed(pictures=True)
    assert Picture.objects.count() == before  # create-only, like every other demo row


def test_the_wire_desk_account_opens_the_desk_and_sees_every_outcome(seeded: str, client: Client) -> None:
    user = User.objects.get(email="wire@example.com")
    assert user.is_staff and user.groups.filter(name="Wire desk").exists()
    client.force_login(user)
    assert client.get("/admin/wire/wireitem/").status_code == 200
    states = set(WireItem.objects.values_list("state", flat=True))
    assert states == {o.value for o in Outcome}
    for state in states:
        listing = client.get(f"/admin/wire/wireitem/?state__exact={state}").content.decode()
        assert "0 wire items" not in listing
    assert "wire@example.com" in (Path(settings.BASE_DIR) / "README.md").read_text()
