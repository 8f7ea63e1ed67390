"""`{% story_fragment "newsroom/_story_header.html" %}`: reader-independent parts of an
article page, rendered once per article and newsroom generation.

Only fragments that depend on nothing but the article and the publication may go
through here (meta tags, JSON-LD, the story header): never the body, the
countdown or the offer, which depend on who reads.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from broadsheet.core.generations import GenerationCache

register = template.Library()


@register.filter
def story_time(at: datetime | None) -> str:
    """When a list shows a story: "2:53 PM" today, "30 November, 8:53 PM" before (publication's time zone)."""
    if at is None:
        return ""
    local, today = timezone.localtime(at), timezone.localdate()
    if local.date() == today:
        return f"{local:%-I:%M %p}"
    return f"{local:%-d %B, %-I:%M %p}"


_fragments: GenerationCache[SafeString] = GenerationCache("newsroom", maxsize=8192)


@register.simple_tag(takes_context=True)
def story_fragment(context: template.Context, template_name: str) -> SafeString:
    article: Any = context["article"]

    def build() -> SafeString:
        flat: dict[str, Any] = {str(k): v for k, v in context.flatten().items()}
        html = get_template(template_name).render(flat)
        return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there

    if context.get("preview"):
        return build()  # a staff preview of a story not yet live: rendered fresh, kept nowhere
    return _fragments.get((template_name, article.pk), build)
