"""The reader's e-paper: the latest edition, the archive calendar, the viewer, find in this edition.

Every view decides access through `epaper.access` on each request. A reader
without the e-paper benefit sees the front-page thumbnail and the offer; the
viewer's pages, text and files are never put in front of them.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from broadsheet.epaper import rules, selectors
from broadsheet.epaper.access import epaper_access, epaper_offer
from broadsheet.epaper.models import Edition, Page


def image_url(edition: Edition, page: Page, *, thumb: bool = False) -> str:
    """The page's image address: the printing's random key, the page number, the stored format."""
    name = page.thumb if thumb else page.image
    kind = "t" if thumb else "p"
    return f"/epaper/{kind}/{edition.current.key}/{page.number}.{name.rsplit('.', 1)[-1]}"  # type: ignore[union-attr]


def long_date(day: date) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


@require_GET
def latest(request: HttpRequest) -> HttpResponse:
    edition = selectors.edition_latest()
    if edition is None:
        return render(request, "epaper/none.html", {"offer": None})
    return redirect(edition.get_absolute_url())


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    months = []
    for month in selectors.months_with_editions():
        weeks = calendar.Calendar(firstweekday=0).monthdayscalendar(month.year, month.month)
        months.append(
            {
                "title": f"{calendar.month_name[month.month]} {month.year}",
                "weeks": [[(d, month.days.get(d, [])) for d in week] for week in weeks],
                "year": month.year,
                "month": month.month,
            }
        )
    return render(request, "epaper/archive.html", {"months": months, "weekdays": list(calendar.day_abbr)})


@require_GET
def on_date(request: HttpRequest, day: date) -> HttpResponse:
    editions = selectors.editions_on(day)
    if len(editions) == 1:
        return redirect(editions[0].get_absolute_url())
    if not editions:
        raise Http404("No edition for this date")
    return render(request, "epaper/date.html", {"editions": editions, "day": day, "long_date": long_date(day)})


@require_GET
def edition(request: HttpRequest, day: date, slug: str) -> HttpResponse:
    found = selectors.edition_get(day, slug)
    if found is None:
        raise Http404("No such edition")
    return redirect(found.get_absolute_url())


def _viewer_context(found: Edition, pages: list[Page], number: int) -> dict[str, Any]:
    key = found.current.key  # type: ignore[union-attr]
    page_data = [
        {
            "n": p.number,
            "src": "" if p.is_broken else image_url(found, p),
            "thumb": "" if p.is_broken else image_url(found, p, thumb=True),
            "text": "" if p.is_broken else f"/epaper/x/{key}/{p.number}.json",
            "w": p.width,
            "h": p.height,
            "broken": p.is_broken,
        }
        for p in pages
    ]
    base = f"/epaper/{found.date.isoformat()}/{found.slug}/"
    return {
        "edition": found,
        "long_date": long_date(found.date),
        "pages": pages,
        "page_data": page_data,
        "current": page_data[number - 1],
        "number": number,
        "count": len(pages),
        "prev_url": f"{base}{number - 1}/" if number > 1 else "",
        "next_url": f"{base}{number + 1}/" if number < len(pages) else "",
        "base_url": base,
        "siblings": selectors.editions_on(found.date),
        "viewer": {
            "base": base,
            "count": len(pages),
            "find": reverse("epaper-find", args=[found.date, found.slug]),
            "clip": base + "{n}/clip/",
            "title": f"{found.name}, {long_date(found.date)}",
        },
    }


@require_GET
def page(request: HttpRequest, day: date, slug: str, number: int) -> HttpResponse:
    found = selectors.edition_get(day, slug)
    if found is None:
        raise Http404("No such edition")
    pages = selectors.pages_of(found)
    if not 1 <= number <= len(pages):
        raise Http404("No such page in this edition")
    if not epaper_access(request).decision.is_open:
        front = pages[0]
        context = {
            "edition": found,
            "long_date": long_date(found.date),
            "front_thumb": "" if front.is_broken else image_url(found, front, thumb=True),
            "front": front,
            "count": len(pages),
            "offer": epaper_offer(request),
            "siblings": selectors.editions_on(found.date),
        }
        return render(request, "epaper/teaser.html", context)
    return render(request, "epaper/viewer.html", _viewer_context(found, pages, number))


@require_GET
def find(request: HttpRequest, day: date, slug: str) -> JsonResponse:
    """Find in this edition: every page where the words occur, with a snippet and boxes to highlight."""
    found = selectors.edition_get(day, slug)
    if found is None:
        raise Http404("No such edition")
    if not epaper_access(request).decision.is_open:
        return JsonResponse({"error": "Find in this edition is part of the e-paper subscription."}, status=403)
    try:
        query = rules.clean_query(request.GET.get("q", ""))
    except rules.QueryRefused as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    hits: list[dict[str, Any]] = []
    for p in selectors.pages_with_text(found):
        spans = rules.find_spans(p.text, query)
        if not spans:
            continue
        words = rules.words_in(p.text)
        for span in spans:
            before, match, after = rules.snippet(p.text, span)
            hits.append(
                {
                    "page": p.number,
                    "before": before,
                    "match": match,
                    "after": after,
                    "boxes": rules.boxes_for(span, words, p.words),
                }
            )
    hits.sort(key=lambda h: h["page"])
    return JsonResponse({"query": query, "count": len(hits), "hits": hits[:300]})
