"""`{% load partners %}{% partner_pools_for request.user %}`: the reader's partner offers on the account page."""

from __future__ import annotations

from typing import Any

from django import template

from broadsheet.core import clock
from broadsheet.partners.selectors import partner_pools_for_reader

register = template.Library()


@register.inclusion_tag("partners/pools.html", takes_context=True)
def partner_pools_for(context: template.Context, user: Any) -> dict[str, Any]:
    pools = []
    if user is not None and getattr(user, "is_authenticated", False):
        pools = partner_pools_for_reader(user_id=user.pk, at=clock.now())
    return {"pools": pools, "csrf_token": context.get("csrf_token"), "request": context.get("request")}
