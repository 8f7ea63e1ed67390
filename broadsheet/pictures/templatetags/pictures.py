"""`{% picture pic sizes="…" %}`: a stored picture with its renditions (lazy unless `lazy=False`)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from broadsheet.pictures.html import picture_html
from broadsheet.pictures.models import Picture

register = template.Library()


@register.simple_tag
def picture(pic: Picture | None, sizes: str = "100vw", lazy: bool = True, css_class: str = "") -> SafeString:
    if pic is None or not pic.widths:
        return mark_safe("")
    return picture_html(pic, sizes=sizes, lazy=lazy, css_class=css_class)
