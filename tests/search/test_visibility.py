"""The search condition is the paywall's rule written as SQL: kinds of story asked one by one,
and a boundary in age found on the rule itself (the archive rule flows in)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from broadsheet.billing.models import Benefit
from broadsheet.newsroom.models import Article, Section
from broadsheet.paywall.access import ReaderFacts
from broadsheet.search import visibility
from broadsheet.search.query import parse
from broadsheet.search.selectors import search_run
from tests import factories as f

pytestmark = pytest.mark.django_db

ANONYMOUS = ReaderFacts(is_staff=False, is_registered=False, benefits=frozenset())
SUBSCRIBER = ReaderFacts(is_staff=False, is_registered=True, benefits=frozenset({"premium"}))


def _sections() -> list[Section]:
    return list(Section.objects.select_related("required_benefit"))


def test_the_condition_opens_what_the_rule_opens() -> None:
    f.section("news")
    markets = f.section("markets")
    markets.required_benefit = Benefit.objects.create(code="markets", name="Market analysis")
    markets.save()
    now = timezone.now()
    anonymous = visibility.visibility_for(reader=ANONYMOUS, sections=_sections(), now=now)
    assert {(r.access, r.meter_exempt) for r in anonymous.rules} == {("free", None), ("metered", True)}
    assert all(r.section_ids == (f.section("news").pk,) for r in anonymous.rules)  # markets needs its benefit
    subscriber = visibility.visibility_for(reader=SUBSCRIBER, sections=_sections(), now=now)
    assert {r.access for r in subscriber.rules} == {"free", "metered", "premium"}
    staff = ReaderFacts(is_staff=True, is_registered=True, benefits=frozenset())
    assert visibility.visibility_for(reader=staff, sections=_sections(), now=now).sql() == ("(1 = 1)", [])


def test_the_archive_age_becomes_a_date_in_the_condition(settings: Any, time_machine: Any) -> None:
    """The paywall's archive rule (BROADSHEET_ARCHIVE_AGE_DAYS) is found on the rule itself, to the
    second: a subscriber without the archive benefit finds no old body and gets no old snippet; a
    reader with it finds both."""
    settings.BROADSHEET_ARCHIVE_AGE_DAYS = 365
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    time_machine.move_to(now, tick=False)
    cutoff = now - timedelta(days=365)
    f.publication()
    found = visibility.visibility_for(reader=SUBSCRIBER, sections=[f.section()], now=now)
    assert {r.since for r in found.rules if r.access != "free"} == {cutoff}
    assert {r.since for r in found.rules if r.access == "free"} == {None}  # a free story stays free, however old
    old = f.story(access=Article.Access.PREMIUM, published_at=now - timedelta(days=400))
    new = f.story(access=Article.Access.PREMIUM, published_at=now - timedelta(days=3))
    for story, expected in ((old, []), (new, [new.article.pk])):
        page = search_run(query=parse(story.tokens[3]), reader=SUBSCRIBER, now=now)
        assert [r.article.pk for r in page.results] == expected
    headline = search_run(query=parse(old.article.headline), reader=SUBSCRIBER, now=now)
    assert [r.snippet for r in headline.results if r.article.pk == old.article.pk] == [None]
    archivist = ReaderFacts(is_staff=False, is_registered=True, benefits=frozenset({"premium", "archive"}))
    page = search_run(query=parse(old.tokens[3]), reader=archivist, now=now)
    assert [r.article.pk for r in page.results] == [old.article.pk] and page.results[0].snippet
