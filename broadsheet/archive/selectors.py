"""Reads for browsing the archive by date: years, months and days with their story counts, a day's stories.

Dates are the publication's (its time zone), as the datelines print them. The counts are
one grouped query each, cached until the next write to any story (the newsroom generation).
"""

from __future__ import annotations

import calendar
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from broadsheet.core import clock
from broadsheet.core.generations import GenerationCache
from broadsheet.newsroom.models import Article, ArticleQuerySet
from broadsheet.newsroom.selectors import live_stories, publication_get

DAY_PAGE_SIZE = 40
_counts: GenerationCache[dict[int, int]] = GenerationCache("newsroom")


@dataclass(frozen=True, slots=True)
class MonthCalendar:
    year: int
    month: int
    days: dict[int, int]  # day of the month → stories that day

    @property
    def title(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"

    @property
    def name(self) -> str:
        return calendar.month_name[self.month]

    @property
    def total(self) -> int:
        return sum(self.days.values())

    @property
    def weeks(self) -> list[list[tuple[int, int]]]:
        """Weeks from Monday, each day as (day, stories); 0 pads the days of other months."""
        return [
            [(day, self.days.get(day, 0)) for day in week]
            for week in calendar.Calendar().monthdayscalendar(self.year, self.month)
        ]


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(publication_get().time_zone)


def _between(start: date, end: date) -> ArticleQuerySet:
    """Live stories published from the start of `start` to the start of `end`, in the publication's days."""
    zone = _zone()
    stories: ArticleQuerySet = Article.objects.live(clock.now())
    return stories.filter(
        published_at__gte=datetime.combine(start, time(), zone), published_at__lt=datetime.combine(end, time(), zone)
    )


def _grouped(stories: ArticleQuerySet, part: type[ExtractYear | ExtractMonth | ExtractDay]) -> dict[int, int]:
    rows = stories.order_by().annotate(k=part("published_at", tzinfo=_zone())).values("k").annotate(n=Count("id"))
    return {row["k"]: row["n"] for row in rows}


def archive_years() -> dict[int, int]:
    """Every year that has stories → how many, oldest first."""
    years = _counts.get(
        ("archive-years", publication_get().time_zone),
        lambda: _grouped(Article.objects.live(clock.now()), ExtractYear),
    )
    return dict(sorted(years.items()))


def archive_months(year: int) -> dict[int, int]:
    """The months of `year` that have stories → how many."""
    months = _counts.get(
        ("archive-months", year), lambda: _grouped(_between(date(year, 1, 1), date(year + 1, 1, 1)), ExtractMonth)
    )
    return dict(sorted(months.items()))


def archive_month(year: int, month: int) -> MonthCalendar:
    """A month's calendar: the days that have stories, with their counts."""
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1)
    days = _counts.get(("archive-days", year, month), lambda: _grouped(_between(start, end), ExtractDay))
    return MonthCalendar(year=year, month=month, days=days)


def archive_year_calendars(year: int) -> list[MonthCalendar]:
    """The twelve months of `year` as calendars (one grouped query for the whole year)."""
    per_day = _counts.get(("archive-year-days", year), lambda: _year_days(year))
    calendars = []
    for month in range(1, 13):
        days = {key % 100: n for key, n in per_day.items() if key // 100 == month}
        calendars.append(MonthCalendar(year=year, month=month, days=days))
    return calendars


def _year_days(year: int) -> dict[int, int]:
    """month * 100 + day → stories, for every day of `year` that has any."""
    stories = _between(date(year, 1, 1), date(year + 1, 1, 1)).order_by()
    zone = _zone()
    rows = (
        stories.annotate(m=ExtractMonth("published_at", tzinfo=zone), d=ExtractDay("published_at", tzinfo=zone))
        .values("m", "d")
        .annotate(n=Count("id"))
        .values_list("m", "d", "n")
    )
    return {m * 100 + d: n for m, d, n in rows}


def archive_day(day: date, *, page: str | int | None) -> Page[Article]:
    """The stories of one day, in the order they were published, as lists show them (never the body)."""
    ids = _between(day, day + timedelta(days=1)).values("pk")
    stories = live_stories(at=clock.now()).filter(pk__in=ids).order_by("published_at", "id")
    return Paginator(stories, DAY_PAGE_SIZE).get_page(page)


def nearest_days(day: date) -> tuple[date | None, date | None]:
    """The nearest earlier and later days that have stories (for "previous day" and "next day")."""
    zone = _zone()
    start = datetime.combine(day, time(), zone)
    end = start + timedelta(days=1)
    live = Article.objects.live(clock.now()).order_by()
    before = live.filter(published_at__lt=start).order_by("-published_at").values_list("published_at", flat=True)
    after = live.filter(published_at__gte=end).order_by("published_at").values_list("published_at", flat=True)
    earlier, later = before.first(), after.first()
    return (
        earlier.astimezone(zone).date() if earlier else None,
        later.astimezone(zone).date() if later else None,
    )
