"""`{{ amount_minor|money:currency }}`: integer minor units formatted for the reader (₹2,700)."""

from __future__ import annotations

from django import template

from broadsheet.core.money import format_money

register = template.Library()


@register.filter
def money(amount_minor: int | None, currency: str = "INR") -> str:
    if amount_minor is None:
        return ""
    return format_money(int(amount_minor), currency or "INR")
