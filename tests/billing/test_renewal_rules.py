"""The renewal decisions, as a pure function (no database)."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from broadsheet.billing.rules import renewal as renewal_rules
from broadsheet.billing.rules.renewal import MIN_NOTICE, Action, Facts, Policy, decide

END = datetime(2027, 2, 28, 10, 0, tzinfo=UTC)
POLICY = Policy()
ACTIVE = Facts(status="active", auto_renew=True, chargeable=True, period_end=END)
HOUR = timedelta(hours=1)
offsets = st.integers(min_value=-24 * 60 * 20, max_value=24 * 60 * 20).map(lambda m: timedelta(minutes=m))


def test_renewal_rules_module_is_pure() -> None:
    tree = ast.parse(Path(renewal_rules.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not any(name.startswith(("django", "broadsheet", "time")) for name in imported), imported
    assert not {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)} & {"now", "utcnow", "today"}


def test_the_notice_goes_out_when_the_window_opens_and_not_before() -> None:
    assert decide(ACTIVE, POLICY, END - 48 * HOUR - timedelta(seconds=1)) is Action.NOTHING
    assert decide(ACTIVE, POLICY, END - 48 * HOUR) is Action.NOTICE
    assert decide(ACTIVE, POLICY, END + 5 * HOUR) is Action.NOTICE  # late, but never skipped


def test_the_charge_waits_for_the_lead_time_and_a_full_day_after_the_notice() -> None:
    noticed = replace(ACTIVE, notice_sent_at=END - 48 * HOUR)
    assert decide(noticed, POLICY, END - 2 * HOUR) is Action.NOTHING
    assert decide(noticed, POLICY, END - HOUR) is Action.CHARGE
    late = replace(ACTIVE, notice_sent_at=END - 3 * HOUR)
    assert decide(late, POLICY, END) is Action.NOTHING
    assert decide(late, POLICY, END + 21 * HOUR) is Action.CHARGE


def test_the_notice_window_is_never_shorter_than_a_day() -> None:
    policy = Policy.clamped(notice_hours=2, min_notice_hours=1, lead_minutes=60)
    assert policy.notice_before == policy.min_notice == MIN_NOTICE


@given(offsets, offsets, st.integers(0, 24 * 30), st.integers(0, 48))
def test_a_charge_always_comes_at_least_a_day_after_its_notice(
    notice_offset: timedelta, now_offset: timedelta, notice_hours: int, min_hours: int
) -> None:
    policy = Policy.clamped(notice_hours=notice_hours, min_notice_hours=min_hours, lead_minutes=60)
    facts = replace(ACTIVE, notice_sent_at=END + notice_offset)
    now = END + now_offset
    if decide(facts, policy, now) is Action.CHARGE:
        assert now - (END + notice_offset) >= timedelta(hours=24)
        assert now >= END - policy.lead


@given(offsets)
def test_nothing_is_charged_without_a_mandate_or_with_renewal_off(now_offset: timedelta) -> None:
    now = END + now_offset
    noticed = replace(ACTIVE, notice_sent_at=END - 48 * HOUR)
    assert decide(replace(noticed, chargeable=False), POLICY, now) is Action.NOTHING
    off = decide(replace(noticed, auto_renew=False), POLICY, now)
    assert off is (Action.END_PERIOD if now >= END else Action.NOTHING)


def test_a_refund_ends_access_at_its_own_time() -> None:
    refunded = replace(ACTIVE, auto_renew=False, access_ends_at=END - 10 * 24 * HOUR)
    assert decide(refunded, POLICY, END - 11 * 24 * HOUR) is Action.NOTHING
    assert decide(refunded, POLICY, END - 10 * 24 * HOUR) is Action.END_PERIOD


def test_past_due_retries_on_schedule_then_ends_with_the_grace() -> None:
    past_due = Facts(
        status="past_due",
        auto_renew=True,
        chargeable=True,
        period_end=END,
        next_retry_at=END + 24 * HOUR,
        grace_ends_at=END + 10 * 24 * HOUR,
    )
    assert decide(past_due, POLICY, END + 23 * HOUR) is Action.NOTHING
    assert decide(past_due, POLICY, END + 24 * HOUR) is Action.RETRY
    no_retry_left = replace(past_due, next_retry_at=None)
    assert decide(no_retry_left, POLICY, END + 9 * 24 * HOUR) is Action.NOTHING
    assert decide(no_retry_left, POLICY, END + 10 * 24 * HOUR) is Action.END_GRACE


def test_expired_rows_are_left_alone() -> None:
    assert decide(replace(ACTIVE, status="expired"), POLICY, END + 1000 * HOUR) is Action.NOTHING
