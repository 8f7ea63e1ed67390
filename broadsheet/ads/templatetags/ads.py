"""`{% ad_slot "header" %}`: the slot's snippet in its wrapper, or nothing at all."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
_SCRIPT_OPEN = re.compile(r"<script\b", re.IGNORECASE)


@register.simple_tag(takes_context=True)
def ad_slot(context: dict[str, Any], place: str) -> SafeString:
    snippet = context.get("ads", {}).get(place)
    if not snippet:
        return mark_safe("")
    nonce = context.get("csp_nonce")
    if nonce is not None and "<script" in snippet.lower():
        # The ad server's inline scripts run under the page's Content-Security-Policy nonce.
        snippet = _SCRIPT_OPEN.sub(f'<script nonce="{nonce}"', snippet)
    return format_html(
        '<aside class="ad ad-{}" aria-label="{}"><span class="ad-label">Advertisement</span>{}</aside>',
        place.replace("_", "-"),
        PLACE_LABELS.get(place, "Advertisement"),
        mark_safe(snippet),  # noqa: S308 - staff-entered ad markup, sent as the ad server gave it
    )


# Each ad landmark has a name of its own (axe: landmark-unique).
PLACE_LABELS = {
    "header": "Advertisement, top",
    "in_article": "Advertisement in the story",
    "sidebar": "Advertisement, side",
}
