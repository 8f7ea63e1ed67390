from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from broadsheet.core.money import format_money, per_month_floor, period_label


@pytest.mark.parametrize(
    ("paise", "months", "price", "period", "per_month"),
    [
        (90000, 3, "₹900", "3 Months", "₹300"),
        (270000, 12, "₹2,700", "1 Year", "₹225"),
        (390000, 24, "₹3,900", "2 Years", "₹162"),  # 162.50 floored, not rounded
    ],
)
def test_the_plans_of_the_brief_show_as_on_the_reference_page(
    paise: int, months: int, price: str, period: str, per_month: str
) -> None:
    assert format_money(paise) == price
    assert period_label(months) == period
    assert format_money(per_month_floor(paise, months)) == per_month


def test_indian_digit_grouping_and_paise() -> None:
    assert format_money(10_000_000) == "₹1,00,000"
    assert format_money(12_345_678_90) == "₹1,23,45,678.90"
    assert format_money(199) == "₹1.99"


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        format_money(9.5)  # type: ignore[arg-type]


@given(price=st.integers(0, 10**9), months=st.integers(1, 120))
def test_per_month_is_whole_rupees_and_never_overstates(price: int, months: int) -> None:
    shown = per_month_floor(price, months)
    assert shown % 100 == 0
    assert shown * months <= price
    assert (shown + 100) * months > price
