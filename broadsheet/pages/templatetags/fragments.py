"""Fragments that are the same for every reader, rendered once per generation.

The navigation and the plan table appear on most pages and never depend on who
reads them; rendering them once per process (until the rows behind them
change) keeps template work off the article hot path.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from django import template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from broadsheet.billing.selectors import plans_for_paywall
from broadsheet.core.generations import GenerationCache
from broadsheet.newsroom.selectors import nav_sections
from broadsheet.pages.selectors import footer_links as footer_links_read

register = template.Library()
_nav: GenerationCache[SafeString] = GenerationCache("newsroom", maxsize=64)
_plans: GenerationCache[SafeString] = GenerationCache("plans", maxsize=4)


@register.simple_tag
@cache
def head_links() -> SafeString:
    """The icons and the style sheet: their hashed static URLs are fixed while the process runs."""
    return format_html(
        '<link rel="icon" href="/favicon.ico" sizes="32x32">\n'
        '<link rel="icon" href="{}" type="image/svg+xml">\n'
        '<link rel="apple-touch-icon" href="{}">\n'
        '<link rel="stylesheet" href="{}">',
        static("favicon.svg"),
        static("apple-touch-icon.png"),
        static("css/site.css"),
    )


_days: dict[tuple[str, date], tuple[SafeString, str]] = {}


def _today() -> tuple[SafeString, str]:
    """Today in the publication's time zone: the masthead's dateline, and the year (formatted once a day)."""
    now = timezone.localtime()
    key = (str(timezone.get_current_timezone()), now.date())
    found = _days.get(key)
    if found is None:
        line = format_html(
            '<time datetime="{}">{}</time><span class="date-short" aria-hidden="true">{}</span>',
            dateformat.format(now, "Y-m-d"),
            dateformat.format(now, "l, j F Y"),
            dateformat.format(now, "D j M"),
        )
        if len(_days) > 64:
            _days.clear()
        found = _days[key] = (line, str(now.year))
    return found


@register.simple_tag
def dateline() -> SafeString:
    return _today()[0]


@register.simple_tag
def this_year() -> str:
    return _today()[1]


@register.simple_tag
def section_nav(current: str | None = None) -> SafeString:
    """The sections, the one being read marked `aria-current` (one rendering per section)."""
    current = current or ""

    def build() -> SafeString:
        html = render_to_string("fragments/section_nav.html", {"sections": nav_sections(), "current": current})
        return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there

    return _nav.get(("nav", current), build)


@register.simple_tag
def footer_links() -> SafeString:
    def build() -> SafeString:
        html = render_to_string("fragments/footer_links.html", {"links": footer_links_read()})
        return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there

    return _nav.get("footer", build)


@register.simple_tag
def plan_table(level: int = 3) -> SafeString:
    """The plan cards; `level` is the heading level of a plan's name (2 on a page whose h1 is the offer)."""

    def build() -> SafeString:
        plans, benefits = plans_for_paywall()
        by_code = {b.code: b for b in benefits}
        shared = len({frozenset(p.benefits) for p in plans}) == 1
        rows = [(p, [by_code[c] for c in p.benefits if c in by_code]) for p in plans]
        context = {"rows": rows, "benefits": benefits, "shared": shared, "h": f"h{level}", "h_sub": f"h{level}"}
        return mark_safe(render_to_string("fragments/plan_table.html", context))  # noqa: S308

    return _plans.get(("table", level), build)
