"""Calendar arithmetic: meter periods and month-long billing periods."""

from __future__ import annotations

import calendar
import zoneinfo
from datetime import date, datetime
from functools import lru_cache


@lru_cache(maxsize=32)
def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def meter_period(at: datetime, time_zone: str) -> str:
    """The calendar month of `at` in the publication's time zone, as "YYYY-MM"."""
    if at.tzinfo is None:
        raise ValueError("meter periods need an aware datetime")
    local = at.astimezone(zone(time_zone))
    return f"{local.year:04d}-{local.month:02d}"


def meter_period_end(at: datetime, time_zone: str) -> datetime:
    """When the meter period holding `at` ends: midnight starting the next month, in the
    publication's time zone (an aware datetime in that zone)."""
    if at.tzinfo is None:
        raise ValueError("meter periods need an aware datetime")
    local = at.astimezone(zone(time_zone))
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=zone(time_zone))


def meter_resets_on(at: datetime, time_zone: str) -> date:
    """The day the meter starts again: the first of the next calendar month in the publication's time zone."""
    return meter_period_end(at, time_zone).date()


def meter_period_shift(period: str, months: int) -> str:
    """The meter period `months` after `period` ("YYYY-MM"; a negative count goes back)."""
    year, month = (int(part) for part in period.split("-"))
    index = year * 12 + month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def add_months(at: datetime, months: int) -> datetime:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = at.month - 1 + months
    year = at.year + month_index // 12
    month = month_index % 12 + 1
    day = min(at.day, calendar.monthrange(year, month)[1])
    return at.replace(year=year, month=month, day=day)
