"""Stories older than the archive age need the archive benefit, on every channel.

The rule lives in the pure decision (`access.decide`), so the page, the API and every
other surface follow it. Ages are set with time-machine against the setting.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from broadsheet.billing.models import Benefit, Plan
from broadsheet.billing.subscriptions.services import subscription_grant
from broadsheet.newsroom.models import Article
from broadsheet.paywall import access
from broadsheet.paywall.access import Access, ArticleFacts, Outcome, ReaderFacts, Reason
from broadsheet.paywall.render import ARCHIVE_HEADLINE
from broadsheet.readers.models import User
from tests import factories as f
from tests.api.helpers import bearer, token_for
from tests.paywall.test_no_leak import assert_no_locked_text

ANON = ReaderFacts(is_staff=False, is_registered=False, benefits=frozenset())
PREMIUM_ONLY = ReaderFacts(is_staff=False, is_registered=True, benefits=frozenset({"premium"}))
ARCHIVIST = ReaderFacts(is_staff=False, is_registered=True, benefits=frozenset({"archive"}))
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


# --- the pure rule -----------------------------------------------------------------------------


def test_a_story_enters_the_archive_the_moment_it_is_older_than_the_age() -> None:
    day = timedelta(days=1)
    assert not access.is_archived(published_at=NOW - 365 * day, at=NOW, age_days=365)
    assert access.is_archived(published_at=NOW - 365 * day - timedelta(seconds=1), at=NOW, age_days=365)
    assert access.is_archived(published_at=NOW - 31 * day, at=NOW, age_days=30)
    assert not access.is_archived(published_at=NOW - 9000 * day, at=NOW, age_days=0)  # 0: no archive rule
    assert not access.is_archived(published_at=None, at=NOW, age_days=365)


def test_an_archived_story_opens_for_the_archive_benefit_alone() -> None:
    old = ArticleFacts(access=Access.METERED, benefit="archive", archived=True)
    old_premium = ArticleFacts(access=Access.PREMIUM, benefit="archive", archived=True)
    assert access.decide(article=old, reader=ARCHIVIST).reason is Reason.ENTITLED
    assert access.decide(article=old_premium, reader=ARCHIVIST).reason is Reason.ENTITLED
    for facts in (old, old_premium):
        for reader in (ANON, PREMIUM_ONLY):
            decision = access.decide(article=facts, reader=reader)
            assert (decision.outcome, decision.reason, decision.archived) == (Outcome.PAYWALL, Reason.ARCHIVE, True)
            assert not decision.count_this_view


def test_with_archive_on_the_meter_an_archived_metered_story_is_counted_and_its_wall_names_the_archive() -> None:
    old = ArticleFacts(access=Access.METERED, benefit="archive", archived=True, archive_on_meter=True)
    decision = access.decide(article=old, reader=ANON)
    assert decision.outcome is Outcome.METER and decision.archived
    spent = access.consume(limit=1, counted={"other"}, article_key="this")
    final = access.settle(decision, reader=ANON, meter=spent, regwall=False)
    assert (final.outcome, final.reason, final.archived) == (Outcome.PAYWALL, Reason.LIMIT_REACHED, True)
    # A premium story stays locked: the meter never opens premium text.
    old_premium = ArticleFacts(access=Access.PREMIUM, benefit="archive", archived=True, archive_on_meter=True)
    assert access.decide(article=old_premium, reader=ANON).reason is Reason.ARCHIVE


@given(
    level=st.sampled_from([Access.METERED, Access.PREMIUM]),
    benefits=st.frozensets(st.sampled_from(["premium", "market_analysis", "epaper", "ad_free"])),
    registered=st.booleans(),
    exempt=st.booleans(),
)
def test_without_the_archive_benefit_an_archived_story_never_opens(
    level: Access, benefits: frozenset[str], registered: bool, exempt: bool
) -> None:
    """Whatever else the reader holds, short of staff or a verified crawler, and the meter is off."""
    story = ArticleFacts(access=level, benefit="archive", archived=True, meter_exempt=exempt)
    reader = ReaderFacts(is_staff=False, is_registered=registered, benefits=benefits)
    decision = access.decide(article=story, reader=reader)
    assert (decision.outcome, decision.reason) == (Outcome.PAYWALL, Reason.ARCHIVE)


# --- pages and the API, by age ------------------------------------------------------------------


def archive_subscriber() -> User:
    """A subscriber whose plan carries the archive benefit as well as premium stories."""
    archive, _ = Benefit.objects.get_or_create(code="archive", defaults={"name": "Archive back to 1997"})
    premium, _ = Benefit.objects.get_or_create(code="premium", defaults={"name": "Premium stories"})
    plan = Plan.objects.create(slug="archive-plan", name="Archive plan", price_minor=390000, period_months=24)
    plan.benefits.add(archive, premium)
    user = f.reader()
    subscription_grant(user_id=user.pk, plan=plan, start=timezone.now() - timedelta(days=1))
    return user


@pytest.fixture
def old_story() -> f.Story:
    f.publication(anonymous_free_limit=5, registered_free_limit=5)
    f.demo_plans()
    return f.story(published_at=timezone.now() - timedelta(days=400))


def page(client: Client, story: f.Story) -> str:
    response = client.get(story.url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "registered", "subscriber without the archive"])
def test_an_archived_story_shows_its_paywall_and_no_locked_text_on_the_page(old_story: f.Story, who: str) -> None:
    client = Client()
    if who == "registered":
        client.force_login(f.reader())
    elif who != "anonymous":
        client.force_login(f.subscriber())  # premium stories, no archive
    body = page(client, old_story)
    assert ARCHIVE_HEADLINE in body
    assert "Stories older than a year are kept for subscribers." in body
    assert old_story.tokens[0] in body  # the lead is the teaser
    assert_no_locked_text(body, old_story)
    ld = body.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(ld)["isAccessibleForFree"] is False
    assert_no_locked_text(ld, old_story)


@pytest.mark.django_db
def test_the_archive_benefit_opens_the_whole_story(old_story: f.Story, client: Client) -> None:
    client.force_login(archive_subscriber())
    body = page(client, old_story)
    assert ARCHIVE_HEADLINE not in body
    assert all(tok in body for tok in old_story.tokens)


@pytest.mark.django_db
def test_the_api_withholds_an_archived_story_and_names_the_archive(old_story: f.Story) -> None:
    path = f"/api/v1/articles/{old_story.article.pk}"
    for token in (None, token_for(f.reader()), token_for(f.subscriber())):
        response = Client().get(path, **bearer(token))
        data = response.json()
        assert (data["open"], data["reason"], data["body_html"]) == (False, "archive", None)
        assert data["offer"]["headline"] == ARCHIVE_HEADLINE
        assert_no_locked_text(response.content.decode(), old_story)
    opened = Client().get(path, **bearer(token_for(archive_subscriber()))).json()
    assert opened["open"] and old_story.tokens[-1] in opened["body_html"]


@pytest.mark.django_db
def test_a_story_locks_when_it_crosses_the_age_and_the_age_is_a_setting(settings: object, client: Client) -> None:
    f.publication(anonymous_free_limit=50, registered_free_limit=50)
    f.demo_plans()
    story = f.story(published_at=timezone.now())
    published = story.article.published_at
    with time_machine.travel(published + timedelta(days=364)):
        assert story.tokens[-1] in page(client, story)
    with time_machine.travel(published + timedelta(days=366)):
        body = page(client, story)
        assert ARCHIVE_HEADLINE in body
        assert_no_locked_text(body, story)
    settings.BROADSHEET_ARCHIVE_AGE_DAYS = 30  # type: ignore[attr-defined]
    with time_machine.travel(published + timedelta(days=31)):
        body = page(client, story)
        assert "Stories older than 31 days" not in body and "older than 30 days" in body
        assert_no_locked_text(body, story)
    settings.BROADSHEET_ARCHIVE_AGE_DAYS = 0  # type: ignore[attr-defined]
    with time_machine.travel(published + timedelta(days=5000)):
        assert story.tokens[-1] in page(client, story)


@pytest.mark.django_db
def test_a_free_story_stays_free_in_the_archive(client: Client) -> None:
    f.publication()
    story = f.story(access=Article.Access.FREE, published_at=timezone.now() - timedelta(days=4000))
    body = page(client, story)
    assert ARCHIVE_HEADLINE not in body and story.tokens[-1] in body


@pytest.mark.django_db
def test_with_the_archive_on_the_meter_old_stories_count_then_the_wall_names_the_archive(client: Client) -> None:
    f.publication(anonymous_free_limit=2, archive_on_meter=True)
    f.demo_plans()
    old = [f.story(published_at=timezone.now() - timedelta(days=500 + i)) for i in range(3)]
    for story in old[:2]:
        body = page(client, story)
        assert story.tokens[-1] in body
        assert "free articles left this month" in body
    body = page(client, old[2])
    assert "You've reached your limit of 2 free articles this month." in body
    assert "This story is from our archive." in body
    assert_no_locked_text(body, old[2])
    old_premium = f.story(access=Article.Access.PREMIUM, published_at=timezone.now() - timedelta(days=800))
    body = page(Client(), old_premium)
    assert ARCHIVE_HEADLINE in body
    assert_no_locked_text(body, old_premium)
