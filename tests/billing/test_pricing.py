"""Money adds up: property tests of the pure pricing rules (no database)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from broadsheet.billing.rules import pricing
from broadsheet.billing.rules.pricing import (
    SAC_ONLINE_NEWS,
    Offer,
    OfferKind,
    PriceChange,
    Refusal,
    apply_offer,
    gst_split,
    list_price_at,
    prorate,
    quote,
    renewal_price,
)

# PRODUCT.md plan table, in paise.
PLANS = {"Smart Quarterly": 90_000, "Smart Essential": 270_000, "Super Saver": 390_000}
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
STATES = st.sampled_from(["MH", "mh", " MH ", "DL", "KA", "", None])
totals = st.one_of(st.sampled_from(sorted(PLANS.values())), st.integers(0, 10**9))
aware_times = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC))


def _module_tree() -> ast.Module:
    return ast.parse(Path(pricing.__file__).read_text())


def test_pricing_module_is_pure() -> None:
    """The rules import nothing from Django, the project or the clock."""
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(_module_tree())
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in getattr(node, "names", [])
    }
    assert not any(name.startswith(("django", "broadsheet", "time")) for name in imported), imported
    attributes = {n.attr for n in ast.walk(_module_tree()) if isinstance(n, ast.Attribute)}
    assert not attributes & {"now", "utcnow", "today", "localtime"}, "the caller passes `now`"


def test_pricing_module_never_uses_float() -> None:
    """No float literal, no true division, no float() or Decimal anywhere in the module."""
    tree = _module_tree()
    floats = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, float)]
    divisions = [n for n in ast.walk(tree) if isinstance(n, ast.BinOp | ast.AugAssign) and isinstance(n.op, ast.Div)]
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not floats
    assert not divisions
    assert not names & {"float", "Decimal", "round"}


def test_pricing_module_does_not_repeat_per_month() -> None:
    assert not hasattr(pricing, "per_month_floor")


# --- GST ----------------------------------------------------------------------


def test_smart_essential_intra_state_worked_example() -> None:
    # 270000 * 10000 / 11800 = 228813.559… → 228814; tax 41186 → 20593 + 20593.
    split = gst_split(270_000, seller_state="MH", buyer_state="MH")
    assert (split.taxable_value, split.cgst, split.sgst, split.igst) == (228_814, 20_593, 20_593, 0)
    assert split.intra_state


def test_smart_quarterly_inter_state_is_igst() -> None:
    # 90000 * 10000 / 11800 = 76271.186… → 76271; tax 13729 all IGST.
    split = gst_split(90_000, seller_state="MH", buyer_state="DL")
    assert (split.taxable_value, split.cgst, split.sgst, split.igst) == (76_271, 0, 0, 13_729)
    assert not split.intra_state


def test_super_saver_intra_state_worked_example() -> None:
    # 390000 * 10000 / 11800 = 330508.474… → 330508; tax 59492 → 29746 + 29746.
    split = gst_split(390_000, seller_state="MH", buyer_state="MH")
    assert (split.taxable_value, split.cgst, split.sgst, split.igst) == (330_508, 29_746, 29_746, 0)


@pytest.mark.parametrize("buyer_state", [None, "", "  "])
def test_unknown_buyer_state_is_igst(buyer_state: str | None) -> None:
    split = gst_split(270_000, seller_state="MH", buyer_state=buyer_state)
    assert split.igst == 41_186
    assert split.cgst == split.sgst == 0


def test_odd_tax_puts_the_extra_paisa_in_sgst() -> None:
    # 100 * 10000 / 11800 = 84.74… → 85; tax 15 → CGST 7, SGST 8.
    split = gst_split(100, seller_state="KA", buyer_state="ka")
    assert (split.taxable_value, split.cgst, split.sgst) == (85, 7, 8)


def test_half_paisa_rounds_up() -> None:
    # rate 0 is exact; with rate 10000 (100%), 1 paisa → taxable 0.5 → 1.
    assert gst_split(1, seller_state="MH", buyer_state="DL", rate_bp=10_000).taxable_value == 1
    assert gst_split(3, seller_state="MH", buyer_state="DL", rate_bp=10_000).taxable_value == 2


def test_zero_total_is_zero_everywhere() -> None:
    split = gst_split(0, seller_state="MH", buyer_state="DL")
    assert (split.taxable_value, split.tax, split.total) == (0, 0, 0)


def test_negative_total_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        gst_split(-1, seller_state="MH", buyer_state="MH")


@given(total=totals, buyer_state=STATES)
def test_gst_parts_add_up(total: int, buyer_state: str | None) -> None:
    split = gst_split(total, seller_state="MH", buyer_state=buyer_state)
    assert split.taxable_value + split.cgst + split.sgst + split.igst == split.total == total
    assert 0 <= split.taxable_value <= total
    assert min(split.cgst, split.sgst, split.igst) >= 0
    tax = total - split.taxable_value
    if tax > 0:
        assert ((split.cgst + split.sgst) > 0) != (split.igst > 0)
    # within half a paisa (so certainly within one) of the exact 1800/11800 share
    assert abs(tax * 11_800 - total * 1_800) * 2 <= 11_800
    if split.intra_state:
        assert 0 <= split.sgst - split.cgst <= 1


@given(total=totals, rate_bp=st.integers(0, 10_000))
def test_gst_parts_add_up_at_any_rate(total: int, rate_bp: int) -> None:
    split = gst_split(total, seller_state="MH", buyer_state="MH", rate_bp=rate_bp)
    assert split.taxable_value + split.tax == total
    assert abs(split.tax * (10_000 + rate_bp) - total * rate_bp) * 2 <= 10_000 + rate_bp


def test_sac_code_for_online_news() -> None:
    assert SAC_ONLINE_NEWS == "998431"


# --- Offers -------------------------------------------------------------------


def test_percent_offer_in_basis_points() -> None:
    result = apply_offer(270_000, Offer(OfferKind.PERCENT, 2_500), now=NOW)
    assert (result.price_paise, result.discount_paise, result.refusal) == (202_500, 67_500, None)


def test_percent_offer_rounds_the_discount_up() -> None:
    # 33.33% of 100 paise = 33.33 → discount 34.
    result = apply_offer(100, Offer(OfferKind.PERCENT, 3_333), now=NOW)
    assert (result.price_paise, result.discount_paise) == (66, 34)


@pytest.mark.parametrize("price", sorted(PLANS.values()))
def test_hundred_percent_offer_is_free(price: int) -> None:
    result = apply_offer(price, Offer(OfferKind.PERCENT, 10_000), now=NOW)
    assert (result.price_paise, result.discount_paise) == (0, price)
    assert result.accepted


def test_fixed_offer_never_goes_below_zero() -> None:
    assert apply_offer(90_000, Offer(OfferKind.FIXED, 100_000), now=NOW).price_paise == 0
    assert apply_offer(90_000, Offer(OfferKind.FIXED, 10_000), now=NOW).price_paise == 80_000


def test_extra_days_keeps_the_price() -> None:
    result = apply_offer(270_000, Offer(OfferKind.EXTRA_DAYS, 30), now=NOW)
    assert (result.price_paise, result.discount_paise, result.extra_days) == (270_000, 0, 30)


@pytest.mark.parametrize(
    ("offer", "reason"),
    [
        (Offer(OfferKind.PERCENT, 0), Refusal.INVALID),
        (Offer(OfferKind.PERCENT, 10_001), Refusal.INVALID),
        (Offer(OfferKind.FIXED, -5), Refusal.INVALID),
        (Offer(OfferKind.EXTRA_DAYS, 0), Refusal.INVALID),
        (Offer(OfferKind.FIXED, 100, used=-1), Refusal.INVALID),
        (Offer(OfferKind.FIXED, 100, valid_from=datetime(2026, 1, 1)), Refusal.INVALID),  # naive
        (Offer(OfferKind.FIXED, 100, valid_from=NOW + timedelta(seconds=1)), Refusal.NOT_YET_VALID),
        (Offer(OfferKind.FIXED, 100, valid_until=NOW), Refusal.EXPIRED),
        (Offer(OfferKind.FIXED, 100, max_uses=5, used=5), Refusal.USED_UP),
        (Offer(OfferKind.FIXED, 100, max_uses=0), Refusal.USED_UP),
    ],
)
def test_unusable_offers_are_refused_not_raised(offer: Offer, reason: Refusal) -> None:
    result = apply_offer(90_000, offer, now=NOW)
    assert result.refusal is reason
    assert (result.price_paise, result.discount_paise, result.extra_days) == (90_000, 0, 0)
    assert not result.accepted


def test_offer_kind_as_plain_string_from_storage() -> None:
    """A kind read back from the database as a plain str behaves like the enum."""
    days = apply_offer(90_000, Offer("extra_days", 30), now=NOW)  # type: ignore[arg-type]
    pct = apply_offer(90_000, Offer("percent", 5_000), now=NOW)  # type: ignore[arg-type]
    unknown = apply_offer(90_000, Offer("bogus", 5), now=NOW)  # type: ignore[arg-type]
    assert (days.price_paise, days.extra_days) == (90_000, 30)
    assert pct.price_paise == 45_000
    assert unknown.refusal is Refusal.INVALID


def test_offer_window_is_half_open() -> None:
    offer = Offer(OfferKind.FIXED, 100, max_uses=5, used=4, valid_from=NOW, valid_until=NOW + timedelta(days=1))
    assert apply_offer(90_000, offer, now=NOW).accepted
    assert apply_offer(90_000, offer, now=NOW + timedelta(days=1)).refusal is Refusal.EXPIRED


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        apply_offer(90_000, Offer(OfferKind.FIXED, 100), now=datetime(2026, 1, 1))


offers = st.builds(
    Offer,
    kind=st.sampled_from(list(OfferKind)),
    value=st.integers(-10, 2 * 10**9),
    max_uses=st.one_of(st.none(), st.integers(-1, 5)),
    used=st.integers(-1, 6),
    valid_from=st.one_of(st.none(), aware_times),
    valid_until=st.one_of(st.none(), aware_times),
)


@given(price=totals, offer=offers, now=aware_times)
def test_offers_never_produce_negative_prices(price: int, offer: Offer, now: datetime) -> None:
    result = apply_offer(price, offer, now=now)
    assert 0 <= result.price_paise <= price
    assert result.price_paise + result.discount_paise == price
    assert result.extra_days >= 0
    if result.extra_days:
        assert result.price_paise == price


# --- Quote --------------------------------------------------------------------


def test_quote_without_offer_is_plan_price_with_gst() -> None:
    q = quote(270_000, offer=None, now=NOW, seller_state="MH", buyer_state="MH")
    assert q.total_paise == 270_000
    assert (q.tax.taxable_value, q.tax.cgst, q.tax.sgst) == (228_814, 20_593, 20_593)
    assert q.sac == "998431"


def test_quote_applies_offer_before_gst() -> None:
    q = quote(90_000, offer=Offer(OfferKind.FIXED, 10_000), now=NOW, seller_state="MH", buyer_state="DL")
    assert (q.list_price_paise, q.discount_paise, q.total_paise) == (90_000, 10_000, 80_000)
    assert q.tax.igst == 80_000 - q.tax.taxable_value


def test_quote_with_refused_offer_shows_reason_and_full_price() -> None:
    q = quote(90_000, offer=Offer(OfferKind.FIXED, 100, valid_until=NOW), now=NOW, seller_state="MH", buyer_state=None)
    assert (q.offer_refusal, q.total_paise) == (Refusal.EXPIRED, 90_000)


@given(price=totals, offer=st.one_of(st.none(), offers), now=aware_times, buyer_state=STATES)
def test_quote_adds_up(price: int, offer: Offer | None, now: datetime, buyer_state: str | None) -> None:
    q = quote(price, offer=offer, now=now, seller_state="MH", buyer_state=buyer_state)
    assert q.list_price_paise - q.discount_paise == q.total_paise == q.tax.total >= 0
    assert q.tax.taxable_value + q.tax.cgst + q.tax.sgst + q.tax.igst == q.total_paise


# --- Proration ----------------------------------------------------------------

START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2027, 1, 1, tzinfo=UTC)  # 365 days


def test_upgrade_halfway_through_a_quarter() -> None:
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 11, tzinfo=UTC)
    p = prorate(
        old_price=90_000, old_period_start=start, old_period_end=end, new_price=270_000, now=start + (end - start) / 2
    )
    assert (p.credit_paise, p.due_now_paise, p.leftover_credit_paise) == (45_000, 225_000, 0)


def test_downgrade_early_carries_leftover_credit() -> None:
    p = prorate(old_price=390_000, old_period_start=START, old_period_end=END, new_price=90_000, now=START)
    assert (p.credit_paise, p.due_now_paise, p.leftover_credit_paise) == (390_000, 0, 300_000)


def test_credit_rounds_in_the_readers_favour() -> None:
    # 1 paisa over 3 seconds, 1 second left: exact credit 1/3 paisa → 1.
    p = prorate(
        old_price=1,
        old_period_start=START,
        old_period_end=START + timedelta(seconds=3),
        new_price=5,
        now=START + timedelta(seconds=2),
    )
    assert p.credit_paise == 1
    # a started second counts as unused: 0.5 s left of 2 s → 1 whole second.
    p = prorate(
        old_price=100,
        old_period_start=START,
        old_period_end=START + timedelta(seconds=2),
        new_price=100,
        now=START + timedelta(milliseconds=1_500),
    )
    assert (p.remaining_seconds, p.credit_paise) == (1, 50)


def test_no_credit_after_the_period_and_full_credit_before_it() -> None:
    after = prorate(old_price=90_000, old_period_start=START, old_period_end=END, new_price=270_000, now=END)
    before = prorate(
        old_price=90_000, old_period_start=START, old_period_end=END, new_price=270_000, now=START - timedelta(days=3)
    )
    assert (after.credit_paise, after.due_now_paise) == (0, 270_000)
    assert before.credit_paise == 90_000


def test_empty_or_naive_period_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        prorate(old_price=1, old_period_start=END, old_period_end=START, new_price=1, now=NOW)
    with pytest.raises(ValueError):
        prorate(old_price=1, old_period_start=START, old_period_end=END, new_price=1, now=datetime(2026, 5, 1))


@given(
    old_price=totals,
    new_price=totals,
    start=aware_times,
    length=st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=800)),
    offset=st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=900)),
)
def test_proration_adds_up(
    old_price: int, new_price: int, start: datetime, length: timedelta, offset: timedelta
) -> None:
    p = prorate(
        old_price=old_price,
        old_period_start=start,
        old_period_end=start + length,
        new_price=new_price,
        now=start + offset,
    )
    assert p.credit_paise + p.due_now_paise - p.leftover_credit_paise == new_price
    assert 0 <= p.credit_paise <= old_price
    assert p.due_now_paise >= 0
    assert p.leftover_credit_paise >= 0
    assert p.due_now_paise == 0 or p.leftover_credit_paise == 0
    assert 0 <= p.remaining_seconds <= p.total_seconds
    # at most one paisa more than the exact share, never less
    exact_times_total = old_price * p.remaining_seconds
    assert p.credit_paise * p.total_seconds >= exact_times_total
    assert (p.credit_paise - 1) * p.total_seconds < exact_times_total or p.credit_paise == 0


# --- Price changes (renewal_price) ---------------------------------------------

prices = st.integers(1, 10**7)
price_changes = st.lists(
    st.tuples(aware_times, st.integers(0, 90), prices, prices).map(
        lambda t: PriceChange(t[0], t[0] + timedelta(days=t[1]), t[2], t[3])
    ),
    max_size=5,
)


def test_a_renewal_inside_the_notice_period_pays_the_old_price_after_it_the_new() -> None:
    change = PriceChange(NOW, NOW + timedelta(days=30), 270_000, 300_000)
    bought = NOW - timedelta(days=300)
    assert (
        renewal_price(locked_price=270_000, locked_at=bought, changes=[change], charge_at=NOW + timedelta(days=29))
        == 270_000
    )
    assert (
        renewal_price(locked_price=270_000, locked_at=bought, changes=[change], charge_at=NOW + timedelta(days=30))
        == 300_000
    )


def test_a_purchase_after_the_announcement_already_paid_the_new_price() -> None:
    change = PriceChange(NOW, NOW + timedelta(days=30), 270_000, 300_000)
    bought = NOW + timedelta(days=1)
    assert list_price_at(current_price=300_000, changes=[change], at=bought) == 300_000
    assert list_price_at(current_price=300_000, changes=[change], at=NOW - timedelta(days=1)) == 270_000
    assert (
        renewal_price(locked_price=300_000, locked_at=bought, changes=[change], charge_at=NOW + timedelta(days=400))
        == 300_000
    )


@given(prices, aware_times, price_changes, aware_times)
def test_a_change_never_reaches_a_renewal_charged_before_its_renewals_from(
    locked: int, locked_at: datetime, changes: list[PriceChange], charge_at: datetime
) -> None:
    price = renewal_price(locked_price=locked, locked_at=locked_at, changes=changes, charge_at=charge_at)
    allowed = {locked} | {c.new_price for c in changes if c.renewals_from <= charge_at and c.announced_at > locked_at}
    assert price in allowed
    assert type(price) is int


@given(prices, aware_times, price_changes, aware_times, st.integers(0, 5000))
def test_a_later_renewal_never_goes_back_to_an_older_price(
    locked: int, locked_at: datetime, changes: list[PriceChange], first: datetime, days: int
) -> None:
    """Once a change applies, every later charge pays it or a change announced after it."""

    def chosen(at: datetime) -> PriceChange | None:
        due = [c for c in changes if c.announced_at > locked_at and c.renewals_from <= at]
        return max(due, key=lambda c: (c.announced_at, c.renewals_from)) if due else None

    earlier, later = chosen(first), chosen(first + timedelta(days=days))
    if earlier is not None:
        assert later is not None and (later.announced_at, later.renewals_from) >= (
            earlier.announced_at,
            earlier.renewals_from,
        )
    assert renewal_price(
        locked_price=locked, locked_at=locked_at, changes=changes, charge_at=first + timedelta(days=days)
    ) == (later.new_price if later is not None else locked)


@given(prices, aware_times, aware_times)
def test_without_changes_a_renewal_pays_the_locked_price(locked: int, locked_at: datetime, charge_at: datetime) -> None:
    assert renewal_price(locked_price=locked, locked_at=locked_at, changes=[], charge_at=charge_at) == locked
