"""SQLite looks up the matches first, then their stories: never every live story, then FTS5 for each.

Left to its planner, SQLite once walked the status index over every live story and asked the
full-text index about each one, for the count under every results page: 0.9 s for one word
on the demo's 9,000 stories, where the matches first take 2 ms. The plan is read, not timed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.newsroom.models import Article
from broadsheet.paywall.access import ReaderFacts
from broadsheet.search.engines.base import EngineQuery
from broadsheet.search.engines.sqlite import SqliteEngine
from broadsheet.search.query import parse
from broadsheet.search.visibility import visibility_for
from tests import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's join order"),
]

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ANONYMOUS = ReaderFacts(is_staff=False, is_registered=False, benefits=frozenset())


def plan_of(sql: str, params: object) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [str(row[3]) for row in cursor.fetchall()]


def test_the_count_and_the_page_start_from_the_matches() -> None:
    f.publication()
    section = f.section()
    Article.objects.bulk_create(
        Article(
            headline=f"Story {i}" + (" monsoon" if i % 10 == 0 else ""),
            slug=f"story-{i}",
            standfirst="A standfirst.",
            body="<p>Words of a story about the rains.</p>",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=NOW - timedelta(days=i),
        )
        for i in range(2000)
    )
    engine = SqliteEngine()
    q = EngineQuery(
        query=parse("monsoon"), visibility=visibility_for(reader=ANONYMOUS, sections=[section], now=NOW), now=NOW
    )
    with CaptureQueriesContext(connection) as queries:
        assert len(engine.find(q)) == 20
        assert engine.count(q, cap=1000) == 200
    for query in queries.captured_queries:
        steps = plan_of(query["sql"], None)
        fts = [i for i, step in enumerate(steps) if "search_fts" in step]
        article = [i for i, step in enumerate(steps) if step.startswith(("SEARCH a ", "SCAN a "))]
        assert fts and article, steps
        assert min(fts) < min(article), steps  # the matches, then each one's story by its key
        assert not any(step.startswith("SEARCH a USING INDEX") for step in steps), steps
