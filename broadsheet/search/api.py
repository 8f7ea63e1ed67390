"""Search through the reader API: the same query language, filters and cut as /search/.

Each result is a story card plus its marked headline and standfirst; `snippet_html`
(the body around the match) only where the paywall opens the story to this reader
without counting a view, exactly as on the web (search.selectors).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from broadsheet.api.problems import Problem, responses
from broadsheet.core import clock
from broadsheet.epaper.access import epaper_access
from broadsheet.epaper.selectors import today
from broadsheet.newsroom.selectors import publication_get
from broadsheet.paywall.services import request_facts_unmetered
from broadsheet.readers.api_auth import OPTIONAL_TOKEN, token_or_anonymous
from broadsheet.search.deadline import SearchTooSlow, search_deadline
from broadsheet.search.engines.base import Filters, Sort
from broadsheet.search.epaper_pages import PageHit, epaper_pages_for_search
from broadsheet.search.forms import read_search
from broadsheet.search.query import MAX_CHARS, ParsedQuery, parse
from broadsheet.search.selectors import MAX_PAGE, search_run
from broadsheet.site.api_schemas import CardOut, card

router = Router(tags=["Search"], auth=token_or_anonymous)


class SearchParams(Schema):
    q: str = Field(..., max_length=4 * MAX_CHARS, description='Words, "a phrase", -word to leave out')
    section: str | None = Field(None, max_length=80, description="A section's slug")
    author: str | None = Field(None, max_length=120, description="An author's slug")
    agency: str | None = Field(None, max_length=20, description="A wire agency's code")
    published_from: date | None = Field(None, description="First day, in the publication's time zone")
    published_to: date | None = Field(None, description="Last day, included")
    sort: Sort = Field(Sort.RELEVANCE, description="relevance (recency breaks ties) or newest")
    page: int = Field(1, ge=1, le=MAX_PAGE)


class SearchHitOut(Schema):
    story: CardOut
    headline_html: str = Field(description="The headline, HTML-escaped, matches in <mark>")
    standfirst_html: str = Field(description="The standfirst, HTML-escaped, matches in <mark>")
    snippet_html: str | None = Field(description="The body around the match: only for a story open to this reader")


class PrintPageOut(Schema):
    date: date
    slug: str = Field(description="The edition's slug")
    edition: str = Field(description='The edition\'s name, e.g. "Mumbai"')
    number: int = Field(description="The page number")
    snippet_html: str = Field(description="The page's text around the match, HTML-escaped, matches in <mark>")
    url: str = Field(description="The page in the web viewer, its find started for the words")
    api_url: str = Field(description="The page's text and signed images through the API")


class SearchOut(Schema):
    query: str = Field(description="The query as understood")
    notes: list[str] = Field(description="What was left out of the query or the filters, and why")
    total: int = Field(description="Matching stories, counted up to 1,000")
    capped: bool
    page: int
    pages: int
    results: list[SearchHitOut]
    print_pages: list[PrintPageOut] | None = Field(
        description="The print edition's pages holding the words (first page of results only); "
        "null unless this reader's plan includes the e-paper"
    )


@router.get(
    "/search",
    summary="Search the stories",
    response={200: SearchOut, **responses(401, 503)},
    openapi_extra=OPTIONAL_TOKEN,
)
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchOut:
    """Stories matching `q`, ten to a page; locked bodies are neither searched nor quoted."""
    values = {k: ("" if v is None else str(v)) for k, v in params.dict().items()}
    _, text, filters, sort, page, notes = read_search(values, time_zone=publication_get().time_zone)
    query = parse(text)
    try:
        found = search_run(
            query=query, reader=request_facts_unmetered(request), now=clock.now(), filters=filters, sort=sort, page=page
        )
        pages = _print_pages(request, found.page, filters, sort, query)
    except SearchTooSlow as slow:
        raise Problem(
            "search_too_slow",
            "Try fewer or rarer words, a phrase in quotes, or a range of dates.",
            query=query.display(),
        ) from slow
    return SearchOut(
        query=query.display(),
        notes=[*query.notes, *notes],
        total=found.total,
        capped=found.capped,
        page=found.page,
        pages=found.pages if query.is_searchable else 0,
        results=[
            SearchHitOut(
                story=card(r.article),
                headline_html=str(r.headline),
                standfirst_html=str(r.standfirst),
                snippet_html=None if r.snippet is None else str(r.snippet),
            )
            for r in found.results
        ],
        print_pages=pages,
    )


def _print_pages(
    request: HttpRequest, page: int, filters: Filters, sort: Sort, query: ParsedQuery
) -> list[PrintPageOut] | None:
    if not query.is_searchable or not epaper_access(request).decision.is_open:
        return None
    if page != 1:
        return []
    with search_deadline():
        hits = epaper_pages_for_search(query, filters=filters, sort=sort, today=today())
    return [_print_page_out(hit) for hit in hits]


def _print_page_out(hit: PageHit) -> PrintPageOut:
    e = hit.edition
    return PrintPageOut(
        date=e.date,
        slug=e.slug,
        edition=e.name,
        number=hit.page.number,
        snippet_html=str(hit.snippet),
        url=settings.SITE_URL + hit.url,
        api_url=f"{settings.SITE_URL}/api/v1/epaper/editions/{e.date.isoformat()}/{e.slug}/pages/{hit.page.number}",
    )
