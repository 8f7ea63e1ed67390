"""`{% held_benefits user as held %}`: the benefits a reader holds now, from the benefits table."""

from __future__ import annotations

from typing import Any

from django import template

from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.selectors import BenefitCard, benefit_cards
from broadsheet.core import clock

register = template.Library()


@register.simple_tag
def held_benefits(user: Any) -> list[BenefitCard]:
    if not getattr(user, "is_authenticated", False):
        return []
    codes = benefits_of(user_id=user.pk, at=clock.now())
    return [card for card in benefit_cards() if card.code in codes]
