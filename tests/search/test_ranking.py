"""The same table of queries gives the same top ten on SQLite (FTS5) and PostgreSQL (tsvector):
the suite runs this file on both, against one written-down expectation."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.db import connection
from django.utils import timezone

from broadsheet.newsroom.models import Agency, Author, Section
from broadsheet.paywall.access import ReaderFacts
from broadsheet.search.engines.base import Filters, Sort
from broadsheet.search.query import parse
from broadsheet.search.selectors import PAGE_SIZE, search_run
from tests.search import corpus

pytestmark = pytest.mark.django_db

EDITOR = ReaderFacts(is_staff=True, is_registered=True, benefits=frozenset())
ANONYMOUS = ReaderFacts(is_staff=False, is_registered=False, benefits=frozenset())


def _day(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=timezone.get_current_timezone())


def _filters(**kw: object) -> Filters:
    out: dict[str, object] = {}
    if "section" in kw:
        out["section_id"] = Section.objects.get(slug=kw["section"]).pk
    if "author" in kw:
        out["author_id"] = Author.objects.get(slug=kw["author"]).pk
    if "agency" in kw:
        out["agency_id"] = Agency.objects.get(code=kw["agency"]).pk
    if "start" in kw:
        out["published_from"] = corpus.published(int(kw["start"])).replace(hour=0)  # type: ignore[call-overload]
    if "before" in kw:
        out["published_before"] = corpus.published(int(kw["before"])).replace(hour=0)  # type: ignore[call-overload]
    return Filters(**out)  # type: ignore[arg-type]


# (query, filters, sort, expected story numbers in order)
TABLE = [
    # headline beats standfirst beats body; newer first among equals
    ("monsoon", {}, Sort.RELEVANCE, [2, 1, 0, 4, 3, 6, 5]),
    ("Monsoon", {}, Sort.NEWEST, [6, 5, 4, 3, 2, 1, 0]),
    ("monsoon -cricket", {}, Sort.RELEVANCE, [2, 1, 0, 3, 6, 5]),
    ('"repo rate"', {}, Sort.RELEVANCE, [7, 10, 9]),  # the phrase: not "rate repo"
    ("repo rate", {}, Sort.RELEVANCE, [8, 7, 10, 9]),
    ('rate -"repo rate"', {}, Sort.RELEVANCE, [8]),
    ("elections", {}, Sort.RELEVANCE, [11, 12, 13]),  # stemmed: election, elections
    ("monsoon", {"section": "business"}, Sort.RELEVANCE, [2, 3, 6]),
    ("monsoon", {"author": "vikram-sen"}, Sort.RELEVANCE, [2]),
    ("election", {"agency": "PNS"}, Sort.RELEVANCE, [11]),
    ("monsoon", {"start": 1, "before": 5}, Sort.RELEVANCE, [2, 1, 4, 3]),
    ("budget", {}, Sort.RELEVANCE, [24, 23, 22, 21, 20, 19, 18, 17, 16, 15]),
    ("the budget of", {}, Sort.NEWEST, [27, 26, 25, 24, 23, 22, 21, 20, 19, 18]),
    ("cricket monsoon", {}, Sort.RELEVANCE, [4]),
    ("monsoon -monsoon", {}, Sort.RELEVANCE, []),
    ("nothingmatchesthis", {}, Sort.RELEVANCE, []),
]


@pytest.fixture
def stories() -> dict[int, int]:
    return {i: a.pk for i, a in corpus.build().items()}


@pytest.mark.parametrize(("text", "filters", "sort", "expected"), TABLE, ids=[row[0] + str(row[1]) for row in TABLE])
def test_top_ten_is_the_written_one(stories: dict[int, int], text, filters, sort, expected) -> None:  # type: ignore[no-untyped-def]
    page = search_run(query=parse(text), reader=EDITOR, now=timezone.now(), filters=_filters(**filters), sort=sort)
    number = {pk: i for i, pk in stories.items()}
    assert [number[r.article.pk] for r in page.results] == expected, connection.vendor


def test_pages_follow_on_without_gaps_or_repeats(stories: dict[int, int]) -> None:
    first = search_run(query=parse("budget"), reader=EDITOR, now=timezone.now())
    second = search_run(query=parse("budget"), reader=EDITOR, now=timezone.now(), page=2)
    assert first.total == second.total == 13
    assert (first.pages, first.has_next, second.has_previous, second.has_next) == (2, True, True, False)
    number = {pk: i for i, pk in stories.items()}
    assert [number[r.article.pk] for r in second.results] == [27, 26, 25]
    assert len(first.results) == PAGE_SIZE
    beyond = search_run(query=parse("budget"), reader=EDITOR, now=timezone.now(), page=3)
    assert beyond.results == []


def test_headline_and_standfirst_are_marked_where_they_match(stories: dict[int, int]) -> None:
    page = search_run(query=parse("monsoon"), reader=EDITOR, now=timezone.now())
    by_pk = {r.article.pk: r for r in page.results}
    assert str(by_pk[stories[2]].headline).startswith("<mark>Monsoon</mark> lorem")
    assert "<mark>" not in by_pk[stories[2]].standfirst
    assert str(by_pk[stories[3]].standfirst).startswith("<mark>Monsoon</mark> lorem")
    assert "<mark>monsoon</mark>" in str(by_pk[stories[5]].snippet).lower()
    phrase = search_run(query=parse('"repo rate"'), reader=EDITOR, now=timezone.now())
    assert "<mark>repo rate</mark>" in str(phrase.results[2].snippet).lower()


def test_a_reader_without_a_plan_finds_locked_stories_by_headline_only(stories: dict[int, int]) -> None:
    page = search_run(query=parse("monsoon"), reader=ANONYMOUS, now=timezone.now())
    number = {pk: i for i, pk in stories.items()}
    found = sorted(number[r.article.pk] for r in page.results)
    # 6 is premium with the word in its body only; 5 is free, so its body is searched.
    assert found == [0, 1, 2, 3, 4, 5]
    snippets = {number[r.article.pk]: r.snippet for r in page.results}
    assert snippets[5] is not None and all(snippets[i] is None for i in (0, 1, 2, 3, 4))
