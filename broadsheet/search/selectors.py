"""Search as pages read it: `search_run` gathers the reader's visibility, asks the engine, cuts at the boundary.

What a result carries is decided here, story by story, by the paywall's rule
(`visibility.story_open`): headline, standfirst and their marks for every
result; a snippet of the body only where the story is open to this reader now
and the engine searched its body. Nothing else of the body leaves this module.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString

from broadsheet.newsroom.models import Article, Section
from broadsheet.newsroom.selectors import live_stories
from broadsheet.paywall.access import ReaderFacts
from broadsheet.search.deadline import search_deadline
from broadsheet.search.engines import engine_for_database
from broadsheet.search.engines.base import EngineHit, EngineQuery, Filters, Highlight, Sort
from broadsheet.search.query import ParsedQuery
from broadsheet.search.visibility import story_open, visibility_for

PAGE_SIZE = 10
MAX_RESULTS = 1000  # counted up to this; deeper pages are not offered (narrow the search instead)
MAX_PAGE = MAX_RESULTS // PAGE_SIZE

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Result:
    article: Article
    headline: SafeString
    standfirst: SafeString
    snippet: SafeString | None  # only for a story open to this reader
    is_open: bool


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: ParsedQuery
    results: list[Result]
    total: int  # at most MAX_RESULTS
    page: int
    sort: Sort

    @property
    def capped(self) -> bool:
        return self.total >= MAX_RESULTS

    @property
    def pages(self) -> int:
        return min(max((self.total + PAGE_SIZE - 1) // PAGE_SIZE, 1), MAX_PAGE)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def search_run(
    *,
    query: ParsedQuery,
    reader: ReaderFacts,
    now: datetime,
    filters: Filters | None = None,
    sort: Sort = Sort.RELEVANCE,
    page: int = 1,
) -> SearchPage:
    page = min(max(page, 1), MAX_PAGE)
    if not query.is_searchable:
        return SearchPage(query=query, results=[], total=0, page=1, sort=sort)
    request = _engine_query(query=query, reader=reader, now=now, filters=filters, sort=sort, page=page)
    engine = engine_for_database()
    with search_deadline():  # raises SearchTooSlow past the limit: no query holds a worker for long
        hits = engine.find(request)
        total = engine.count(request, cap=MAX_RESULTS) if hits or page > 1 else 0
    shown = _shown(hits, reader=reader, now=now)
    with search_deadline():
        marks = engine.highlight(
            query,
            open_ids=[a.pk for a, is_open in shown if is_open],
            locked_ids=[a.pk for a, is_open in shown if not is_open],
        )
    results = [_result(article, is_open, marks.get(article.pk)) for article, is_open in shown]
    return SearchPage(query=query, results=results, total=total, page=page, sort=sort)


def _engine_query(
    *, query: ParsedQuery, reader: ReaderFacts, now: datetime, filters: Filters | None, sort: Sort, page: int
) -> EngineQuery:
    """What the engine is asked: the words, and the stories this reader may find by their body, one page."""
    sections = list(Section.objects.select_related("required_benefit"))
    return EngineQuery(
        query=query,
        visibility=visibility_for(reader=reader, sections=sections, now=now),
        now=now,
        filters=filters or Filters(),
        sort=sort,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )


def _shown(hits: list[EngineHit], *, reader: ReaderFacts, now: datetime) -> list[tuple[Article, bool]]:
    """The live stories among the hits, in the engine's order, each with whether its body snippet may show."""
    stories = {a.pk: a for a in live_stories(at=now).filter(pk__in=[h.article_id for h in hits])}
    shown: list[tuple[Article, bool]] = []
    for hit in hits:
        article = stories.get(hit.article_id)
        if article is None:
            continue
        is_open = story_open(article=article, reader=reader)
        if hit.body_searched and not is_open:
            # The SQL condition and the rule disagree: the body may have matched, so the story is not shown.
            log.warning("search: visibility disagreed with the paywall for article %s", article.pk)
            continue
        shown.append((article, is_open and hit.body_searched))
    return shown


def _result(article: Article, is_open: bool, marks: Highlight | None) -> Result:
    if marks is None:  # the index changed between the two queries: plain text, no snippet
        return Result(
            article=article,
            headline=escape(article.headline),
            standfirst=escape(article.standfirst),
            snippet=None,
            is_open=False,
        )
    return Result(
        article=article,
        headline=marks.headline,
        standfirst=marks.standfirst,
        snippet=marks.snippet if is_open else None,
        is_open=is_open,
    )
