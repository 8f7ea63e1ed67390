"""Reads for the newsroom's pages. Every list sets select_related/prefetch."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

from broadsheet.core.generations import GenerationCache
from broadsheet.newsroom.html import split_blocks
from broadsheet.newsroom.models import Article, ArticleQuerySet, Author, Publication, Section

PAGE_SIZE = 20
# Reads of newsroom rows, per process, dropped whenever any newsroom row is written.
_newsroom: GenerationCache[Any] = GenerationCache("newsroom")


@dataclass(frozen=True, slots=True)
class PublicationSettings:
    """The publication as the paywall and pages need it, with environment overrides applied."""

    name: str
    legal_name: str
    tagline: str
    time_zone: str
    currency: str
    anonymous_free_limit: int
    registered_free_limit: int
    registration_wall: bool

    @property
    def wire_disclaimer(self) -> str:
        """ "No Broadsheet Daily journalist was involved…": the name without a leading article."""
        name = self.name[4:] if self.name.lower().startswith("the ") else self.name
        return f"No {name} journalist was involved in creation of this content"


def _publication_build() -> PublicationSettings:
    pub = Publication.objects.order_by("id").first() or Publication()
    return PublicationSettings(
        name=pub.name,
        legal_name=pub.legal_name,
        tagline=pub.tagline,
        time_zone=pub.time_zone,
        currency=pub.currency,
        anonymous_free_limit=pub.anonymous_free_limit,
        registered_free_limit=pub.registered_free_limit,
        registration_wall=pub.registration_wall,
    )


def publication_get() -> PublicationSettings:
    """The publication's settings with the environment's overrides applied."""
    stored: PublicationSettings = _newsroom.get("publication", _publication_build)
    overrides: dict[str, object] = {}
    if settings.BROADSHEET_FREE_LIMIT is not None:
        overrides["anonymous_free_limit"] = settings.BROADSHEET_FREE_LIMIT
        overrides["registered_free_limit"] = settings.BROADSHEET_FREE_LIMIT
    if settings.BROADSHEET_TIME_ZONE:
        overrides["time_zone"] = settings.BROADSHEET_TIME_ZONE
    if settings.BROADSHEET_REGWALL is not None:
        overrides["registration_wall"] = settings.BROADSHEET_REGWALL
    return replace(stored, **overrides) if overrides else stored  # type: ignore[arg-type]  # keys are fields


def _cards() -> ArticleQuerySet:
    """Articles as lists show them: never the body."""
    return (
        Article.objects.select_related("section", "section__required_benefit", "agency")
        .prefetch_related(Prefetch("authors", queryset=Author.objects.only("id", "name", "slug")))
        .defer("body")
    )


def is_live(article: Article, at: datetime) -> bool:
    """The same test as ArticleQuerySet.live, on one loaded article."""
    return (
        article.status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED)
        and article.published_at is not None
        and article.published_at <= at
    )


def article_at_url(*, section_slug: str, slug: str, fresh: bool = False) -> Article | None:
    """The article behind a URL, whatever its status, body deferred.

    Readers get a shared, cached instance (read-only); `fresh` reads the row (staff previews).
    """
    if fresh:
        return _cards().filter(slug=slug, section__slug=section_slug).first()
    article: Article | None = _newsroom.get(
        ("article", section_slug, slug), lambda: _cards().filter(slug=slug, section__slug=section_slug).first()
    )
    return article


def article_body_blocks(article: Article) -> list[str]:
    """The body split in blocks. Called only for readers whose Decision is open."""

    def build() -> list[str]:
        body = Article.objects.filter(pk=article.pk).values_list("body", flat=True).first() or ""
        return split_blocks(body)

    blocks: list[str] = _newsroom.get(("body", article.pk), build)
    return blocks


def home_page(*, at: datetime) -> dict[str, object]:
    live = _cards().live(at)
    top = list(live.filter(is_top_story=True)[:5])
    latest = list(live.exclude(pk__in=[a.pk for a in top])[:8])
    premium = list(live.filter(access=Article.Access.PREMIUM)[:6])
    sections = []
    for section in Section.objects.filter(show_in_nav=True):
        stories = list(live.filter(section=section)[:4])
        if stories:
            sections.append((section, stories))
    return {"top_stories": top, "latest": latest, "premium_picks": premium, "section_blocks": sections}


def section_page(*, section: Section, at: datetime, page: str | int | None) -> Page[Article]:
    return Paginator(_cards().live(at).filter(section=section), PAGE_SIZE).get_page(page)


def author_page(*, author: Author, at: datetime, page: str | int | None) -> Page[Article]:
    return Paginator(_cards().live(at).filter(authors=author), PAGE_SIZE).get_page(page)


def nav_sections() -> list[Section]:
    sections: list[Section] = _newsroom.get("nav", lambda: list(Section.objects.filter(show_in_nav=True)))
    return sections


def latest_for_feed(*, at: datetime, limit: int = 50) -> list[Article]:
    return list(_cards().live(at)[:limit])


def recent_for_news_sitemap(*, at: datetime) -> list[Article]:
    """Google News sitemaps list stories of the last 48 hours only."""
    return list(_cards().live(at).filter(published_at__gte=at - timedelta(hours=48))[:1000])
