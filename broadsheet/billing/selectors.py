"""Reads of plans and benefits, as the paywall and plan pages show them."""

from __future__ import annotations

from dataclasses import dataclass

from broadsheet.billing.models import Benefit, Plan
from broadsheet.core.generations import GenerationCache
from broadsheet.core.money import format_money, monthly_saving, per_month_floor, period_label


@dataclass(frozen=True, slots=True)
class PlanCard:
    slug: str
    name: str
    price: str
    period: str
    per_month: str
    benefits: tuple[str, ...]
    recommended: bool = False
    saving: str = ""  # "₹138" a month against the shortest plan, or "" when it saves nothing
    price_minor: int = 0
    per_month_minor: int = 0
    currency: str = "INR"
    period_months: int = 0


@dataclass(frozen=True, slots=True)
class BenefitCard:
    code: str
    name: str
    description: str


_plans: GenerationCache[tuple[list[PlanCard], list[BenefitCard]]] = GenerationCache("plans")


def plans_for_paywall() -> tuple[list[PlanCard], list[BenefitCard]]:
    """Active plans in display order, and the benefits they include between them (cached per process)."""
    return _plans.get("paywall", _plans_build)


def _saving(plan: Plan, base: Plan) -> str:
    if plan.pk == base.pk or plan.currency != base.currency:
        return ""
    minor = monthly_saving(
        price_minor=plan.price_minor,
        period_months=plan.period_months,
        base_price_minor=base.price_minor,
        base_period_months=base.period_months,
    )
    return format_money(minor, plan.currency) if minor else ""


def _plans_build() -> tuple[list[PlanCard], list[BenefitCard]]:
    plans = list(Plan.objects.filter(is_active=True).prefetch_related("benefits"))
    shortest = min(plans, key=lambda p: (p.period_months, p.price_minor)) if plans else None
    recommended = next((p.pk for p in plans if p.is_recommended), None)
    cards = [
        PlanCard(
            slug=p.slug,
            name=p.name,
            price=format_money(p.price_minor, p.currency),
            period=period_label(p.period_months),
            per_month=format_money(per_month_floor(p.price_minor, p.period_months), p.currency),
            benefits=tuple(b.code for b in p.benefits.all()),
            recommended=p.pk == recommended,
            saving=_saving(p, shortest) if shortest else "",
            price_minor=p.price_minor,
            per_month_minor=per_month_floor(p.price_minor, p.period_months),
            currency=p.currency,
            period_months=p.period_months,
        )
        for p in plans
    ]
    codes = {c for card in cards for c in card.benefits}
    benefits = [
        BenefitCard(code=b.code, name=b.name, description=b.description) for b in Benefit.objects.filter(code__in=codes)
    ]
    return cards, benefits


_benefits: GenerationCache[list[BenefitCard]] = GenerationCache("plans", maxsize=2)


def benefit_cards() -> list[BenefitCard]:
    """Every benefit in the table, in display order (cached per process)."""
    cards: list[BenefitCard] = _benefits.get(
        "all",
        lambda: [BenefitCard(code=b.code, name=b.name, description=b.description) for b in Benefit.objects.all()],
    )
    return cards
