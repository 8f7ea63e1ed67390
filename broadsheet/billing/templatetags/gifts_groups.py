"""`{% gifts_groups_panel %}`: the account page's gifts and group licences (redeem, join, leave, gifts bought)."""

from __future__ import annotations

from typing import Any

from django import template

from broadsheet.billing.gifts.services import gifts_bought_by
from broadsheet.billing.groups.services import seats_held_by
from broadsheet.core import clock

register = template.Library()


@register.inclusion_tag("billing/gifts_groups_panel.html", takes_context=True)
def gifts_groups_panel(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    panel: dict[str, Any] = {"csrf_token": context.get("csrf_token"), "seats": [], "gifts": []}
    if user is not None and getattr(user, "is_authenticated", False):
        panel["seats"] = seats_held_by(user_id=user.pk, at=clock.now())
        panel["gifts"] = gifts_bought_by(user_id=user.pk)
    return panel
