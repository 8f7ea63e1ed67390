"""`{% load newsletter_text %}{{ story.lead_html|as_text }}`: story HTML as plain text for the text part."""

from __future__ import annotations

from django import template
from inscriptis import get_text

register = template.Library()


@register.filter
def as_text(html: str) -> str:
    return str(get_text(str(html or ""))).strip()
