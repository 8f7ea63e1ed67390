"""/search/: the results page. Every reader may search; what each result shows is decided per reader."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from broadsheet.core import clock
from broadsheet.epaper.access import epaper_access
from broadsheet.epaper.selectors import today
from broadsheet.newsroom.selectors import publication_get
from broadsheet.paywall.services import request_facts_unmetered
from broadsheet.search.deadline import SearchTooSlow, search_deadline
from broadsheet.search.engines.base import Filters, Sort
from broadsheet.search.epaper_pages import PageHit, epaper_pages_for_search
from broadsheet.search.forms import read_search
from broadsheet.search.query import MAX_CHARS, ParsedQuery, parse
from broadsheet.search.selectors import SearchPage, search_run


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form, text, filters, sort, page, notes = read_search(request.GET, time_zone=publication_get().time_zone)
    query = parse(text)
    found = _found(request, query=query, filters=filters, sort=sort, page=page) if text else Found()
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        # What the reader typed, shown back without braces: no template marker reaches a page.
        "text": text.replace("{", "").replace("}", "")[:MAX_CHARS],
        "query": query,
        "results": found.results,
        "too_slow": found.too_slow,
        "print_pages": found.print_pages,
        "epaper_open": found.epaper_open,
        "notes": [*query.notes, *notes],
        "page_query": params.urlencode(),
        "filtered": any(getattr(filters, name) is not None for name in filters.__slots__),
        "search_page": True,
    }
    response = render(request, "search/results.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@dataclass(slots=True)
class Found:
    """What a search found: the stories, and the print pages for a reader the e-paper is open to."""

    results: SearchPage | None = None
    print_pages: list[PageHit] = field(default_factory=list)
    epaper_open: bool = False
    too_slow: bool = False  # past the deadline: what was found before it still shows


def _found(request: HttpRequest, *, query: ParsedQuery, filters: Filters, sort: Sort, page: int) -> Found:
    found = Found()
    try:
        found.results = search_run(
            query=query,
            reader=request_facts_unmetered(request),
            now=clock.now(),
            filters=filters,
            sort=sort,
            page=page,
        )
        found.epaper_open = epaper_access(request).decision.is_open
        if found.epaper_open and found.results.page == 1:
            found.print_pages = _print_pages(query, filters, sort)
    except SearchTooSlow:
        found.too_slow = True
    return found


def _print_pages(query: ParsedQuery, filters: Filters, sort: Sort) -> list[PageHit]:
    """The e-paper's pages that hold the words: asked only once the e-paper's rule opened it."""
    with search_deadline():
        return epaper_pages_for_search(query, filters=filters, sort=sort, today=today())
