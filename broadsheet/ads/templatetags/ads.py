"""`{% ad_slot "header" %}`: the slot's snippet in its wrapper, or nothing at all."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def ad_slot(context: dict[str, Any], place: str) -> SafeString:
    snippet = context.get("ads", {}).get(place)
    if not snippet:
        return mark_safe("")
    label = "Advertisement"
    return format_html(
        '<aside class="ad ad-{}" aria-label="{}"><span class="ad-label">{}</span>{}</aside>',
        place.replace("_", "-"),
        label,
        label,
        mark_safe(snippet),  # noqa: S308 - staff-entered ad markup, sent as the ad server gave it
    )
