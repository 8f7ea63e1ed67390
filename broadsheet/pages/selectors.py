"""Reads for the standing pages and the footer that links them."""

from __future__ import annotations

from typing import Any

from broadsheet.core.generations import GenerationCache
from broadsheet.newsroom.html import split_blocks
from broadsheet.pages.models import StandingPage
from broadsheet.pictures.html import body_pictures_expand, keys_in
from broadsheet.pictures.models import Picture

_pages: GenerationCache[Any] = GenerationCache("newsroom", maxsize=16)


def footer_links() -> list[tuple[str, str]]:
    """(title, url) of every written page, in the order of StandingPage.Kind."""

    def build() -> list[tuple[str, str]]:
        order = {kind: n for n, kind in enumerate(StandingPage.Kind.values)}
        pages = sorted(StandingPage.objects.only("kind", "title"), key=lambda p: order.get(p.kind, 99))
        return [(p.title, p.get_absolute_url()) for p in pages]

    links: list[tuple[str, str]] = _pages.get("footer", build)
    return links


def page_by_kind(kind: str) -> StandingPage | None:
    page: StandingPage | None = _pages.get(("page", kind), lambda: StandingPage.objects.filter(kind=kind).first())
    return page


PAGE_PICTURE_SIZES = "(min-width: 44rem) 42rem, 100vw"


def page_body(page: StandingPage) -> str:
    """The page's body with library pictures expanded, as story bodies are (renditions, srcset, credit)."""

    def build() -> str:
        keys = keys_in(page.body)
        pictures = {p.key: p for p in Picture.objects.filter(key__in=keys)} if keys else {}
        return "".join(body_pictures_expand(split_blocks(page.body), pictures, sizes=PAGE_PICTURE_SIZES))

    body: str = _pages.get(("body", page.kind, page.pk), build)
    return body
