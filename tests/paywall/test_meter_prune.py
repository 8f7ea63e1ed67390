"""The database meter keeps the months it needs and no more: past months are pruned, the rest untouched."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from broadsheet.core import schedule
from broadsheet.core.periods import meter_period_shift
from broadsheet.paywall.meter import DatabaseMeterStore
from broadsheet.paywall.models import MeterCount, MeterView
from broadsheet.paywall.tasks import meter_prune, meter_prune_run

DECEMBER = datetime(2026, 12, 15, 9, 0, tzinfo=UTC)


def _read(store: DatabaseMeterStore, period: str, readers: int, articles: int) -> None:
    for r in range(readers):
        for a in range(articles):
            store.consume(
                reader_key=f"a:r{r}", period=period, article_id=a, limit=10, network_key="n:home", network_limit=500
            )


def _periods(model: type[MeterCount] | type[MeterView]) -> dict[str, int]:
    found: dict[str, int] = {}
    for period in model.objects.values_list("period", flat=True):
        found[period] = found.get(period, 0) + 1
    return found


def test_period_shift_crosses_years() -> None:
    assert meter_period_shift("2026-12", 1) == "2027-01"
    assert meter_period_shift("2027-01", -1) == "2026-12"
    assert meter_period_shift("2026-03", -14) == "2025-01"
    assert meter_period_shift("1997-08", 0) == "1997-08"


@given(st.integers(1900, 2500), st.integers(1, 12), st.integers(-600, 600))
def test_period_shift_goes_back_where_it_came_from(year: int, month: int, months: int) -> None:
    period = f"{year:04d}-{month:02d}"
    moved = meter_period_shift(period, months)
    assert meter_period_shift(moved, -months) == period
    assert (moved > period) == (months > 0) and (moved < period) == (months < 0)  # "YYYY-MM" sorts as time


@pytest.mark.django_db
def test_prune_deletes_only_the_months_before_the_kept_one() -> None:
    store = DatabaseMeterStore()
    _read(store, "2026-10", readers=3, articles=4)
    _read(store, "2026-11", readers=2, articles=3)
    _read(store, "2026-12", readers=2, articles=2)
    walked: list[tuple[str, int, int]] = []

    pruned = store.prune(keep_from="2026-11", chunk=5, progress=lambda *step: walked.append(step))

    assert (pruned.views, pruned.counts) == (12, 4)  # 3 readers x 4 views; 3 reader counters + the network's
    assert _periods(MeterView) == {"2026-11": 6, "2026-12": 4}
    assert _periods(MeterCount) == {"2026-11": 3, "2026-12": 3}
    assert store.usage(reader_key="a:r0", period="2026-11") == 3
    assert store.usage(reader_key="a:r1", period="2026-12") == 2
    assert store.usage(reader_key="a:r0", period="2026-10") == 0
    # Walked in ranges of five ids, each table to its end.
    assert len([s for s in walked if s[0] == "paywall_meterview"]) == 5  # 22 view ids
    assert walked[-1][1] == walked[-1][2]
    # A second run finds nothing; a reader of this month is still counted as before.
    assert store.prune(keep_from="2026-11").views == 0
    again = store.consume(reader_key="a:r1", period="2026-12", article_id=1, limit=10)
    assert again.already_counted and again.used == 2


@pytest.mark.django_db
def test_prune_on_empty_tables_does_nothing() -> None:
    pruned = DatabaseMeterStore().prune(keep_from="2026-12")
    assert (pruned.views, pruned.counts) == (0, 0)


@pytest.mark.django_db
def test_the_daily_job_keeps_this_month_and_the_one_before() -> None:
    store = DatabaseMeterStore()
    for period in ("2026-09", "2026-10", "2026-11", "2026-12"):
        _read(store, period, readers=1, articles=2)
    assert "paywall.meter_prune" in {job.name for job in schedule.jobs()}

    with time_machine.travel(DECEMBER):
        result = meter_prune.call()
        assert result == {"views": 4, "counts": 4}
        assert sorted(_periods(MeterView)) == ["2026-11", "2026-12"]
        assert meter_prune.call() == {"views": 0, "counts": 0}  # safe to run twice
        with pytest.raises(ValueError, match="at least the month"):
            meter_prune_run(months_kept=0)


@pytest.mark.django_db
def test_the_command_shows_progress_and_a_summary() -> None:
    store = DatabaseMeterStore()
    _read(store, "2026-08", readers=2, articles=3)
    _read(store, "2026-12", readers=1, articles=1)
    out = StringIO()
    with time_machine.travel(DECEMBER):
        call_command("meter_prune", "--months", "1", stdout=out)
    text = out.getvalue()
    assert "paywall_meterview: 7 of 7 ids walked (100%)" in text
    assert "Meter pruned: 6 counted views and 3 counters of earlier months deleted." in text
    assert _periods(MeterView) == {"2026-12": 1}


@pytest.mark.django_db
def test_the_command_refuses_to_keep_no_month() -> None:
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("meter_prune", "--months", "0", stderr=err)
    assert "at least 1" in err.getvalue()
