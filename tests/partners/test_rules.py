"""The pure rules of partner access (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from broadsheet.partners import rules
from broadsheet.partners.rules import ClaimFacts, Eligibility, check_code, claim_eligibility, low_stock_alert_due

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def facts(**overrides: object) -> ClaimFacts:
    values: dict[str, object] = {"has_code": False, "holds_benefit": True, "pool_active": True, "expires_at": None}
    values.update(overrides)
    return ClaimFacts(**values)  # type: ignore[arg-type]


def test_an_entitled_reader_may_claim_from_an_open_pool() -> None:
    assert claim_eligibility(facts(), now=NOW) is Eligibility.ELIGIBLE
    assert claim_eligibility(facts(expires_at=NOW + timedelta(seconds=1)), now=NOW) is Eligibility.ELIGIBLE


def test_a_reader_without_the_benefit_may_not_claim() -> None:
    assert claim_eligibility(facts(holds_benefit=False), now=NOW) is Eligibility.NOT_ENTITLED


def test_an_expired_or_switched_off_pool_refuses() -> None:
    assert claim_eligibility(facts(expires_at=NOW), now=NOW) is Eligibility.EXPIRED
    assert claim_eligibility(facts(pool_active=False), now=NOW) is Eligibility.EXPIRED


def test_a_reader_who_has_a_code_gets_it_again_even_after_losing_the_benefit_or_the_pool_closing() -> None:
    late = facts(has_code=True, holds_benefit=False, pool_active=False, expires_at=NOW - timedelta(days=1))
    assert claim_eligibility(late, now=NOW) is Eligibility.ALREADY_CLAIMED


def test_the_benefit_is_checked_before_the_dates() -> None:
    assert claim_eligibility(facts(holds_benefit=False, pool_active=False), now=NOW) is Eligibility.NOT_ENTITLED


@pytest.mark.parametrize(
    ("remaining", "threshold", "alerted", "due"),
    [
        (10, 10, False, False),
        (9, 10, False, True),
        (9, 10, True, False),
        (0, 0, False, True),  # an empty pool always tells the team once
        (1, 0, False, False),
    ],
)
def test_low_stock_alert_once_below_the_threshold(remaining: int, threshold: int, alerted: bool, due: bool) -> None:
    assert low_stock_alert_due(remaining=remaining, threshold=threshold, already_alerted=alerted) is due


def test_check_code_trims_and_names_the_problem() -> None:
    assert check_code("  ABC-123 \t", max_length=10) == rules.CodeCheck("ABC-123", None)
    assert check_code("   ", max_length=10).problem == "blank"
    assert check_code("A" * 11, max_length=10).problem == "longer than 10 characters"
    assert check_code("AB CD", max_length=10).problem == "contains spaces or control characters"
    assert check_code("AB\x00CD", max_length=10).problem == "contains spaces or control characters"
    assert check_code("https://partner.example/redeem?c=X1", max_length=100).problem is None
