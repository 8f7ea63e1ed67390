"""The financial year turns at midnight India time on 1 April (pure, no database)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from broadsheet.billing.rules import financial_year as fy_module
from broadsheet.billing.rules.financial_year import financial_year

IST = ZoneInfo("Asia/Kolkata")


def test_last_minute_of_march_in_india_is_the_old_year() -> None:
    assert financial_year(datetime(2027, 3, 31, 23, 59, tzinfo=IST)) == "2026-27"


def test_first_minute_of_april_in_india_is_the_new_year() -> None:
    assert financial_year(datetime(2027, 4, 1, 0, 1, tzinfo=IST)) == "2027-28"


def test_the_boundary_is_india_midnight_not_utc() -> None:
    # 1 April 00:01 IST is still 31 March in UTC.
    at = datetime(2027, 3, 31, 18, 31, tzinfo=UTC)
    assert financial_year(at) == "2027-28"
    assert financial_year(at - timedelta(minutes=2)) == "2026-27"
    assert financial_year(at, tz="UTC") == "2026-27"


def test_any_offset_is_converted_first() -> None:
    new_york = timezone(timedelta(hours=-4))
    assert financial_year(datetime(2027, 3, 31, 15, 0, tzinfo=new_york)) == "2027-28"  # 00:30 IST on 1 April


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (datetime(2026, 11, 29, 12, 0, tzinfo=IST), "2026-27"),
        (datetime(2027, 1, 15, 12, 0, tzinfo=IST), "2026-27"),
        (datetime(2099, 6, 1, 12, 0, tzinfo=IST), "2099-00"),
        (datetime(2000, 2, 1, 12, 0, tzinfo=IST), "1999-00"),
    ],
)
def test_label_is_start_year_and_two_digit_end_year(at: datetime, expected: str) -> None:
    assert financial_year(at) == expected


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        financial_year(datetime(2027, 4, 1, 0, 1))


def test_module_is_pure() -> None:
    tree = ast.parse(Path(fy_module.__file__).read_text())
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name) or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in getattr(node, "names", [])
    }
    assert not any(name.startswith(("django", "broadsheet", "time")) for name in imported), imported
    attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not attributes & {"now", "utcnow", "today", "localtime"}
