"""Browsing the archive by date: /archive/, /archive/1997/, /archive/1997/08/, /archive/1997/08/14/.

Lists show headlines, standfirsts and bylines only; a story's text is behind its own page,
where the paywall decides (stories older than the archive age need the archive benefit).
"""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from broadsheet.archive import selectors
from broadsheet.core import clock

WEEKDAYS = list(calendar.day_abbr)


def _canonical(name: str, **kwargs: int) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _year_or_404(year: int) -> int:
    if not 1 <= year <= clock.now().year:
        raise Http404("No such year in the archive")
    return year


@require_GET
def archive_index(request: HttpRequest) -> HttpResponse:
    years = selectors.archive_years()
    decades: dict[int, list[tuple[int, int]]] = {}
    for year, count in years.items():
        decades.setdefault(year // 10 * 10, []).append((year, count))
    context = {
        "years": years,
        "decades": sorted(decades.items(), reverse=True),
        "total": sum(years.values()),
        "first_year": min(years) if years else None,
        "current_section": "archive",
        "canonical_url": _canonical("archive"),
    }
    return render(request, "archive/index.html", context)


@require_GET
def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    _year_or_404(year)
    months = selectors.archive_months(year)
    if not months:
        raise Http404("No stories that year")
    years = list(selectors.archive_years())
    context = {
        "year": year,
        "calendars": selectors.archive_year_calendars(year),
        "total": sum(months.values()),
        "weekdays": [d[0] for d in WEEKDAYS],
        "previous_year": max((y for y in years if y < year), default=None),
        "next_year": min((y for y in years if y > year), default=None),
        "current_section": "archive",
        "canonical_url": _canonical("archive-year", year=year),
    }
    return render(request, "archive/year.html", context)


@require_GET
def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    _year_or_404(year)
    if not 1 <= month <= 12:
        raise Http404("No such month")
    cal = selectors.archive_month(year, month)
    if not cal.days:
        raise Http404("No stories that month")
    months = [(y, m) for y in selectors.archive_years() for m in selectors.archive_months(y)]
    context = {
        "cal": cal,
        "weekdays": WEEKDAYS,
        "previous": max(((y, m) for y, m in months if (y, m) < (year, month)), default=None),
        "next": min(((y, m) for y, m in months if (y, m) > (year, month)), default=None),
        "current_section": "archive",
        "canonical_url": _canonical("archive-month", year=year, month=month),
    }
    return render(request, "archive/month.html", context)


@require_GET
def archive_day(request: HttpRequest, year: int, month: int, day: int) -> HttpResponse:
    _year_or_404(year)
    try:
        when = date(year, month, day)
    except ValueError:
        raise Http404("No such day") from None
    page = selectors.archive_day(when, page=request.GET.get("page"))
    earlier, later = selectors.nearest_days(when)
    context = {
        "day": when,
        "page_obj": page,
        "earlier": earlier,
        "later": later,
        "current_section": "archive",
        "canonical_url": _canonical("archive-day", year=year, month=month, day=day),
    }
    # A day without stories still helps: it points at the nearest days that have some.
    status = 200 if page.object_list else 404
    return render(request, "archive/day.html", context, status=status)
