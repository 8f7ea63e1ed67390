"""PostgreSQL finds a word of middling frequency in stretches of time, newest first, to read fewer
rows. Whatever stretches it takes, the answer must be exactly the one a single look at every match
gives: the same stories, in the same order, on every page, for a reader who may open the bodies
and one who may not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from broadsheet.newsroom.models import Article, Section
from broadsheet.paywall.access import ReaderFacts
from broadsheet.search.engines import postgres
from broadsheet.search.engines.base import EngineQuery, Filters, Sort
from broadsheet.search.engines.postgres import PostgresEngine
from broadsheet.search.query import parse
from broadsheet.search.selectors import search_run
from broadsheet.search.visibility import visibility_for
from tests import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan choice"),
]

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ANONYMOUS = ReaderFacts(is_staff=False, is_registered=False, benefits=frozenset())
STORIES = 400
OTHERS = 3600


@pytest.fixture
def spread() -> None:
    f.publication()
    section = f.section()
    # Every story has the word in its body; one in ten in its headline too, and one in twenty is free:
    # for a reader who may not open the others, a stretch of time holds far fewer than the word
    # suggests. Dates spread over twenty years, not in the order of the ids.
    Article.objects.bulk_create(
        Article(
            headline=f"{'Monsoon' if i % 10 == 0 else 'Weather'} report {i}",
            slug=f"report-{i}",
            standfirst="A report",
            body="<p>The monsoon came, and the rain with it, over the hills.</p>",
            lead="<p>The rain.</p>",
            section=section,
            access=Article.Access.FREE if i % 20 == 1 else Article.Access.METERED,
            status=Article.Status.PUBLISHED,
            published_at=NOW - timedelta(days=(i * 7919) % 7300 + 1),
        )
        for i in range(STORIES)
    )
    # And the word is in few enough of all the stories for the GIN index to be the way in.
    Article.objects.bulk_create(
        Article(
            headline=f"Cricket score {i}",
            slug=f"score-{i}",
            standfirst="A score",
            body="<p>The match went on.</p>",
            lead="<p>The match.</p>",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=NOW - timedelta(days=i % 7300 + 1),
        )
        for i in range(OTHERS)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_entry")


@pytest.mark.parametrize("reader", [ANONYMOUS, ReaderFacts(is_staff=True, is_registered=True, benefits=frozenset())])
@pytest.mark.parametrize("offset", [0, 10, 30])
def test_stretches_of_time_give_the_answer_of_one_look(
    spread: None, reader: ReaderFacts, offset: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A page newest first would walk the date index; at 10⁶ stories a ranked search does not.
    # Here, with 4,000 stories, the walk is switched off so the stretches are what is tested.
    monkeypatch.setattr(postgres, "WALK_ROWS", 0)
    engine = PostgresEngine()
    q = EngineQuery(
        query=parse("monsoon"),
        visibility=visibility_for(reader=reader, sections=list(Section.objects.all()), now=NOW),
        now=NOW,
        sort=Sort.NEWEST,
        limit=10,
        offset=offset,
    )
    guess = engine._estimate("monsoon")
    assert guess.matches > 4 * (offset + 10)  # a first stretch shorter than the twenty years
    whole, _ = engine._find(q, offset + 10, by_date_index=False, since=None)
    assert len(whole) == 10
    assert engine.find(q) == whole


@pytest.mark.parametrize("walk", [0, postgres.WALK_ROWS])
def test_the_results_page_is_newest_first_without_gaps(
    spread: None, walk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres, "WALK_ROWS", walk)
    page = search_run(query=parse("monsoon"), reader=ANONYMOUS, now=NOW, sort=Sort.NEWEST)
    dates = [r.article.published_at or NOW for r in page.results]
    assert dates == sorted(dates, reverse=True) and len(dates) == 10
    newest = Article.objects.filter(headline__startswith="Monsoon").order_by("-published_at")
    # Locked stories match on the headline only: the newest free ones and the newest "Monsoon" headlines.
    expected = sorted(
        [*newest[:10], *Article.objects.filter(access=Article.Access.FREE).order_by("-published_at")[:10]],
        key=lambda a: a.published_at,
        reverse=True,
    )
    assert [r.article.pk for r in page.results] == list(dict.fromkeys(a.pk for a in expected))[:10]


@pytest.mark.parametrize(
    ("text", "section", "asked"),
    [
        ("monsoon", False, False),
        ('"monsoon came"', True, False),
        ("monsoon -rain", False, True),
        ("monsoon", True, True),
    ],
)
def test_the_planner_is_asked_about_few_candidates_only_when_a_filter_or_an_exclusion_can_leave_few(
    spread: None, text: str, section: bool, asked: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The question costs a plan of the two-branch count (5 to 15 ms at 10⁶ stories); for a plain word
    # it seldom pays, and the stretches of time give the same answer as one look (test above).
    monkeypatch.setattr(postgres, "WALK_ROWS", 0)
    questions: list[int] = []
    few = PostgresEngine._few_candidates

    def spy(self: PostgresEngine, q: EngineQuery, wanted: int) -> bool:
        questions.append(wanted)
        return few(self, q, wanted)

    monkeypatch.setattr(PostgresEngine, "_few_candidates", spy)
    filters = Filters(section_id=Section.objects.get().pk) if section else None
    page = search_run(query=parse(text), reader=ANONYMOUS, now=NOW, filters=filters, sort=Sort.NEWEST)
    assert page.results
    assert bool(questions) is asked
