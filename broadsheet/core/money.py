"""Money as integer minor units (paise), formatted for the Indian locale.

No float ever touches a price: every operation here is integer arithmetic.
"""

from __future__ import annotations

from babel.numbers import format_currency

MINOR_PER_MAJOR = 100


def format_money(amount_minor: int, currency: str = "INR", *, locale: str = "en_IN") -> str:
    """Format paise as the reader sees it: 270000 → "₹2,700", 10000000 → "₹1,00,000".

    Whole amounts drop the decimals; others keep two.
    """
    if not isinstance(amount_minor, int):
        raise TypeError("money is an integer number of minor units")
    major, minor = divmod(abs(amount_minor), MINOR_PER_MAJOR)
    sign = "-" if amount_minor < 0 else ""
    if minor == 0:
        text = format_currency(major, currency, locale=locale, format="¤#,##,##0", currency_digits=False)
    else:
        # Babel takes a Decimal-free string here; the value is built from integers.
        text = format_currency(f"{major}.{minor:02d}", currency, locale=locale)
    return sign + text


def per_month_floor(amount_minor: int, period_months: int) -> int:
    """The per-month price shown beside a plan, floored to a whole rupee.

    ₹3,900 over 24 months is ₹162.50 a month and is shown as ₹162: the shown
    price never overstates the saving.
    """
    if period_months <= 0:
        raise ValueError("a plan's period is at least one month")
    per_month = amount_minor // period_months
    return per_month - per_month % MINOR_PER_MAJOR


def monthly_saving(*, price_minor: int, period_months: int, base_price_minor: int, base_period_months: int) -> int:
    """What a plan saves a month against a base plan (the shortest), from the per-month prices shown.

    Taken as the difference of the two floored per-month prices, so the card's
    "save ₹75 a month" is exactly the difference a reader can see on the cards.
    Never negative: a plan dearer per month saves nothing.
    """
    saving = per_month_floor(base_price_minor, base_period_months) - per_month_floor(price_minor, period_months)
    return max(saving, 0)


def period_label(period_months: int) -> str:
    """ "3 Months", "1 Year", "2 Years"."""
    if period_months % 12 == 0:
        years = period_months // 12
        return f"{years} Year" if years == 1 else f"{years} Years"
    return f"{period_months} Month" if period_months == 1 else f"{period_months} Months"
