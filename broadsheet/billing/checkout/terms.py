"""What the checkout page tells a reader before they pay: when the plan renews, and at what price.

A read for the page only; the lifecycle decides the real dates when the payment
succeeds, with the same rule: the first period starts after any free days (a
trial, an offer of extra days) and runs the plan's months (lifecycle.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from broadsheet.billing.models import Plan
from broadsheet.core.money import format_money, period_label
from broadsheet.core.periods import add_months


@dataclass(frozen=True, slots=True)
class RenewalTerms:
    renews_on: datetime
    price: str  # the renewal's price, GST included: the plan's list price (an offer is for the first payment)
    every: str  # "3 months", "year", "2 years": as in "then every …"


def renewal_terms(*, plan: Plan, at: datetime, free_days: int) -> RenewalTerms:
    renews_on = add_months(at + timedelta(days=free_days), plan.period_months)
    label = period_label(plan.period_months).lower()
    every = label.removeprefix("1 ") if label.startswith("1 ") else label
    return RenewalTerms(renews_on, format_money(plan.price_minor, plan.currency), every)
