"""`{% account_billing %}`: the billing part of the account page, gathered by account_selectors.

An inclusion tag, so the account view (readers.views) needs to know nothing about billing.
"""

from __future__ import annotations

from typing import Any

from django import template

from broadsheet.billing.account_selectors import account_billing as account_billing_read
from broadsheet.core import clock

register = template.Library()


@register.inclusion_tag("billing/account_billing.html", takes_context=True)
def account_billing(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return {"billing": None}
    return {
        "billing": account_billing_read(user_id=user.pk, at=context.get("now") or clock.now()),
        "meter_limit": context.get("meter_limit"),
        "meter_used": context.get("meter_used"),
        "csrf_token": context.get("csrf_token"),
        "user": user,
    }
