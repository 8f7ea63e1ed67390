"""`{% load archive %}`: the archive badge and counts as the archive pages print them."""

from __future__ import annotations

from babel.numbers import format_decimal
from django import template

from broadsheet.newsroom.models import Article
from broadsheet.paywall.services import article_facts

register = template.Library()


@register.filter
def in_archive(article: Article) -> bool:
    """Whether the archive rule applies to this story now, as the paywall sees it (a free story stays free)."""
    return article_facts(article).archived


@register.filter
def stories(count: int) -> str:
    """ "1 story", "1,234 stories", "1,00,000 stories": grouped as the publication's readers write numbers."""
    return f"{format_decimal(count, locale='en_IN')} {'story' if count == 1 else 'stories'}"


@register.filter
def grouped(count: int) -> str:
    return str(format_decimal(count, locale="en_IN"))
