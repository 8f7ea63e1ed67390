"""`{% account_billing %}`: the billing part of the account page, gathered by billing.statements.

An inclusion tag, so the account view (site.account) needs to know nothing about billing.
"""

from __future__ import annotations

from typing import Any

from django import template

from broadsheet.billing.groups.services import seats_held_by
from broadsheet.billing.statements import account_billing as account_billing_read
from broadsheet.core import clock

register = template.Library()


@register.inclusion_tag("billing/account_billing.html", takes_context=True)
def account_billing(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return {"billing": None}
    at = context.get("now") or clock.now()
    return {
        "billing": account_billing_read(user_id=user.pk, at=at),
        # A seat of an organisation's licence is a plan too: the page says whose, and until when.
        "seats": [seat for seat in seats_held_by(user_id=user.pk, at=at) if seat.live],
        "meter_limit": context.get("meter_limit"),
        "meter_used": context.get("meter_used"),
        "csrf_token": context.get("csrf_token"),
        "user": user,
    }
