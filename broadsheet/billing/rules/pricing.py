"""Prices, as pure functions: GST split, offers, the checkout quote, proration.

Facts in, a value out: no Django, no database, no clock (the caller passes `now`
as an aware datetime). Money is integer paise and every operation here is
integer arithmetic: no float, no true division. Every result is built so that
its parts add up to its total exactly.

Prices are tax-inclusive (the plan table shows ₹2,700 and the reader pays
₹2,700); GST is carved out of the total, never added on top.

The per-month price shown beside a plan is `broadsheet.core.money.per_month_floor`;
it is deliberately not repeated here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# SAC (Services Accounting Code) 998431: "On-line text based information such as
# online books, newspapers, periodicals, directories and the like". Printed on tax
# invoices for online news subscriptions.
SAC_ONLINE_NEWS = "998431"

GST_RATE_BP = 1800  # 18% in basis points
BP_PER_WHOLE = 10_000  # 100% in basis points
_ONE_SECOND = timedelta(seconds=1)


# --- GST ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaxSplit:
    """A tax-inclusive total split into its taxable value and GST parts.

    Invariant: taxable_value + cgst + sgst + igst == total. Either CGST + SGST
    (intra-state) or IGST (inter-state) is used, never both.
    """

    taxable_value: int
    cgst: int
    sgst: int
    igst: int
    total: int
    rate_bp: int
    intra_state: bool

    @property
    def tax(self) -> int:
        return self.cgst + self.sgst + self.igst


def _round_half_up_div(numerator: int, denominator: int) -> int:
    """round(numerator / denominator), halves upwards, for numerator ≥ 0 and denominator > 0."""
    return (2 * numerator + denominator) // (2 * denominator)


def _same_state(seller_state: str, buyer_state: str | None) -> bool:
    """States compare as codes, ignoring case and surrounding blanks ("mh" == "MH ")."""
    if buyer_state is None or not buyer_state.strip():
        return False
    return seller_state.strip().upper() == buyer_state.strip().upper()


def gst_split(total_paise: int, *, seller_state: str, buyer_state: str | None, rate_bp: int = GST_RATE_BP) -> TaxSplit:
    """Split a tax-inclusive price into taxable value and GST.

    taxable = total * 10000 / (10000 + rate_bp), rounded half up to the paisa;
    tax = total - taxable (so it is within half a paisa of the exact share);
    intra-state: CGST = tax // 2, SGST = the rest; inter-state: IGST = tax.

    Unknown buyer state (None or blank) is treated as inter-state, i.e. IGST.
    This is a product choice: one rule for everyone we cannot place, and the
    reader pays the same total either way (only the split on the invoice
    differs). Note for the accountant: as we read IGST Act s.12(2)(b), a
    supply to an unregistered person with no address on record has its place
    of supply at the supplier's location, which would mean CGST + SGST instead;
    collecting the buyer's state at checkout avoids the question.

    ₹2,700 intra-state: taxable 228814, CGST 20593, SGST 20593 (paise).
    """
    if total_paise < 0:
        raise ValueError("a price is never negative")
    if rate_bp < 0:
        raise ValueError("a tax rate is never negative")
    taxable = _round_half_up_div(total_paise * BP_PER_WHOLE, BP_PER_WHOLE + rate_bp)
    tax = total_paise - taxable
    if _same_state(seller_state, buyer_state):
        cgst = tax // 2
        return TaxSplit(taxable, cgst, tax - cgst, 0, total_paise, rate_bp, intra_state=True)
    return TaxSplit(taxable, 0, 0, tax, total_paise, rate_bp, intra_state=False)


# --- Offers -------------------------------------------------------------------


class OfferKind(StrEnum):
    PERCENT = "percent"  # value in basis points: 2500 = 25%, 10000 = 100%
    FIXED = "fixed"  # value in paise off the first period
    EXTRA_DAYS = "extra_days"  # value in days added to the first period; price unchanged


class Refusal(StrEnum):
    INVALID = "invalid"  # the offer's own data is unusable (bad value, naive time, …)
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    USED_UP = "used_up"


@dataclass(frozen=True, slots=True)
class Offer:
    """An offer as stored. Times are aware datetimes; None means open-ended.

    Valid on the half-open window valid_from ≤ now < valid_until. max_uses None
    means unlimited.
    """

    kind: OfferKind
    value: int
    max_uses: int | None = None
    used: int = 0
    valid_from: datetime | None = None
    valid_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class OfferResult:
    """The first period's price after an offer.

    Invariant: price_paise + discount_paise == the price before the offer.
    A refused offer leaves the price unchanged and names the reason.
    """

    price_paise: int
    discount_paise: int
    extra_days: int
    refusal: Refusal | None

    @property
    def accepted(self) -> bool:
        return self.refusal is None


def _is_aware(at: datetime) -> bool:
    return at.tzinfo is not None and at.utcoffset() is not None


def _offer_refusal(offer: Offer, now: datetime) -> Refusal | None:
    """Why the offer cannot be used now, or None. Checks data, then window, then uses."""
    value_ok = {
        OfferKind.PERCENT: 0 < offer.value <= BP_PER_WHOLE,
        OfferKind.FIXED: offer.value > 0,
        OfferKind.EXTRA_DAYS: offer.value > 0,
    }.get(offer.kind, False)
    times = [t for t in (offer.valid_from, offer.valid_until) if t is not None]
    if not value_ok or offer.used < 0 or (offer.max_uses is not None and offer.max_uses < 0):
        return Refusal.INVALID
    if not all(_is_aware(t) for t in times):
        return Refusal.INVALID
    if offer.valid_from is not None and now < offer.valid_from:
        return Refusal.NOT_YET_VALID
    if offer.valid_until is not None and now >= offer.valid_until:
        return Refusal.EXPIRED
    if offer.max_uses is not None and offer.used >= offer.max_uses:
        return Refusal.USED_UP
    return None


def apply_offer(price_paise: int, offer: Offer, *, now: datetime) -> OfferResult:
    """The first period's price with `offer` applied; never below 0, never raises for a bad offer.

    A percent discount is rounded up to the paisa (in the reader's favour), and
    capped at the price; a fixed discount is capped at the price.
    """
    if price_paise < 0:
        raise ValueError("a price is never negative")
    if not _is_aware(now):
        raise ValueError("now must be an aware datetime")
    refusal = _offer_refusal(offer, now)
    if refusal is not None:
        return OfferResult(price_paise, 0, 0, refusal)
    if offer.kind == OfferKind.EXTRA_DAYS:
        return OfferResult(price_paise, 0, offer.value, None)
    # a percent discount is a ceiling division; either kind is capped at the price
    discount = -(-price_paise * offer.value // BP_PER_WHOLE) if offer.kind == OfferKind.PERCENT else offer.value
    discount = min(discount, price_paise)
    return OfferResult(price_paise - discount, discount, 0, None)


# --- Quote --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Quote:
    """What checkout shows: list price, the offer's effect, and the total with GST.

    Invariants: list_price_paise - discount_paise == total_paise == tax.total.
    """

    list_price_paise: int
    discount_paise: int
    extra_days: int
    offer_refusal: Refusal | None
    tax: TaxSplit
    sac: str = SAC_ONLINE_NEWS

    @property
    def total_paise(self) -> int:
        """The total with GST: what the reader pays for the first period."""
        return self.tax.total


def quote(
    plan_price_paise: int, *, offer: Offer | None, now: datetime, seller_state: str, buyer_state: str | None
) -> Quote:
    """The checkout quote: offer applied first, then GST carved out of the result."""
    if offer is None:
        if not _is_aware(now):
            raise ValueError("now must be an aware datetime")
        result = OfferResult(plan_price_paise, 0, 0, None)
    else:
        result = apply_offer(plan_price_paise, offer, now=now)
    tax = gst_split(result.price_paise, seller_state=seller_state, buyer_state=buyer_state)
    return Quote(plan_price_paise, result.discount_paise, result.extra_days, result.refusal, tax)


# --- Proration ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proration:
    """A plan change taking effect at once.

    Invariants: credit_paise + due_now_paise - leftover_credit_paise == new_price;
    credit_paise ≤ old_price; all parts ≥ 0; at most one of due_now_paise and
    leftover_credit_paise is non-zero.
    """

    credit_paise: int
    due_now_paise: int
    leftover_credit_paise: int
    remaining_seconds: int
    total_seconds: int


def _ceil_seconds(delta: timedelta) -> int:
    """Whole seconds in `delta`, a started second counting as a whole one."""
    return -(-delta // _ONE_SECOND)


def prorate(
    *, old_price: int, old_period_start: datetime, old_period_end: datetime, new_price: int, now: datetime
) -> Proration:
    """Credit the unused part of the old period against the new plan's price.

    `old_price` is what the reader actually paid for the old period (tax
    inclusive, after any offer). The new plan starts now for its full period at
    `new_price`; its end date is calendar arithmetic (`core.periods`), not ours.

    Rounding is in the reader's favour, by at most one paisa: the remaining
    time is counted in whole seconds rounded up, and the credit is
    ceil(old_price * remaining_seconds / total_seconds). Before the old period
    starts the whole price is credited; after it ends, nothing.
    Credit beyond the new price is carried as leftover credit, not refunded here.
    """
    if old_price < 0 or new_price < 0:
        raise ValueError("a price is never negative")
    if not all(_is_aware(t) for t in (old_period_start, old_period_end, now)):
        raise ValueError("proration needs aware datetimes")
    total_seconds = (old_period_end - old_period_start) // _ONE_SECOND
    if total_seconds <= 0:
        raise ValueError("a billing period lasts at least one second")
    remaining_seconds = min(max(_ceil_seconds(old_period_end - now), 0), total_seconds)
    credit = -(-old_price * remaining_seconds // total_seconds)  # ceiling division
    due_now = max(new_price - credit, 0)
    leftover = max(credit - new_price, 0)
    return Proration(credit, due_now, leftover, remaining_seconds, total_seconds)


# --- Price changes ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriceChange:
    """A plan's new price: new purchases pay it from `announced_at`, renewals from `renewals_from`."""

    announced_at: datetime
    renewals_from: datetime
    old_price: int
    new_price: int


def list_price_at(*, current_price: int, changes: Sequence[PriceChange], at: datetime) -> int:
    """What a new purchase paid at `at`: the newest change announced by then, else the oldest change's old price."""
    announced = [c for c in changes if c.announced_at <= at]
    if announced:
        return max(announced, key=_announced_order).new_price
    if changes:
        return min(changes, key=_announced_order).old_price
    return current_price


def renewal_price(
    *, locked_price: int, locked_at: datetime, changes: Sequence[PriceChange], charge_at: datetime
) -> int:
    """The list price of a renewal charged at `charge_at`, for a subscriber on `locked_price` since `locked_at`.

    A change counts only if it was announced after the subscriber's price was
    locked (an earlier one is already in that price) and its `renewals_from`
    is not after the charge: never backwards, never before the notice period
    is over. Of several such changes the newest announced wins, so a later
    charge never goes back to an older price.
    """
    due = [c for c in changes if c.announced_at > locked_at and c.renewals_from <= charge_at]
    if not due:
        return locked_price
    return max(due, key=_announced_order).new_price


def _announced_order(change: PriceChange) -> tuple[datetime, datetime]:
    return (change.announced_at, change.renewals_from)
