"""Fragments that are the same for every reader, rendered once per generation.

The navigation and the plan table appear on most pages and never depend on who
reads them; rendering them once per process (until the rows behind them
change) keeps template work off the article hot path.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from broadsheet.billing.selectors import plans_for_paywall
from broadsheet.core.generations import GenerationCache
from broadsheet.newsroom.selectors import nav_sections

register = template.Library()
_nav: GenerationCache[SafeString] = GenerationCache("newsroom", maxsize=4)
_plans: GenerationCache[SafeString] = GenerationCache("plans", maxsize=4)


@register.simple_tag
def section_nav() -> SafeString:
    return _nav.get(
        "nav",
        lambda: mark_safe(render_to_string("fragments/section_nav.html", {"sections": nav_sections()})),  # noqa: S308
    )


@register.simple_tag
def plan_table() -> SafeString:
    def build() -> SafeString:
        plans, benefits = plans_for_paywall()
        by_code = {b.code: b for b in benefits}
        shared = len({frozenset(p.benefits) for p in plans}) == 1
        rows = [(p, [by_code[c] for c in p.benefits if c in by_code]) for p in plans]
        context = {"rows": rows, "benefits": benefits, "shared": shared}
        return mark_safe(render_to_string("fragments/plan_table.html", context))  # noqa: S308

    return _plans.get("table", build)
