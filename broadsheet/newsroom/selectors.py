"""Reads for the newsroom's pages. Every list sets select_related/prefetch."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

from broadsheet.newsroom.html import split_blocks
from broadsheet.newsroom.models import Article, ArticleQuerySet, Author, Publication, Section

PUBLICATION_CACHE_KEY = "publication:v1"
PAGE_SIZE = 20


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


def publication_get() -> PublicationSettings:
    cached: PublicationSettings | None = cache.get(PUBLICATION_CACHE_KEY)
    if cached is None:
        pub = Publication.objects.order_by("id").first() or Publication()
        cached = PublicationSettings(
            name=pub.name,
            legal_name=pub.legal_name,
            tagline=pub.tagline,
            time_zone=pub.time_zone,
            currency=pub.currency,
            anonymous_free_limit=pub.anonymous_free_limit,
            registered_free_limit=pub.registered_free_limit,
            registration_wall=pub.registration_wall,
        )
        cache.set(PUBLICATION_CACHE_KEY, cached, 60)
    overrides: dict[str, object] = {}
    if settings.BROADSHEET_FREE_LIMIT is not None:
        overrides["anonymous_free_limit"] = settings.BROADSHEET_FREE_LIMIT
        overrides["registered_free_limit"] = settings.BROADSHEET_FREE_LIMIT
    if settings.BROADSHEET_TIME_ZONE:
        overrides["time_zone"] = settings.BROADSHEET_TIME_ZONE
    if settings.BROADSHEET_REGWALL is not None:
        overrides["registration_wall"] = settings.BROADSHEET_REGWALL
    if overrides:
        return replace(cached, **overrides)  # type: ignore[arg-type]
    return cached


def publication_forget() -> None:
    cache.delete(PUBLICATION_CACHE_KEY)


def _cards() -> ArticleQuerySet:
    """Articles as lists show them: never the body."""
    return (
        Article.objects.select_related("section", "agency")
        .prefetch_related(Prefetch("authors", queryset=Author.objects.only("id", "name", "slug")))
        .defer("body")
    )


def article_for_page(*, section_slug: str, slug: str, at: datetime, preview: bool) -> Article | None:
    """The article behind a URL, body deferred: it is loaded only when the reader may see it."""
    qs = _cards().filter(slug=slug, section__slug=section_slug)
    if not preview:
        qs = qs.live(at)
    return qs.first()


def article_by_slug(*, slug: str, at: datetime) -> Article | None:
    return _cards().live(at).filter(slug=slug).first()


def article_body_blocks(article: Article) -> list[str]:
    """The body split in blocks, cached by the article's last change.

    Called only for readers whose Decision is open.
    """
    key = f"article-body:{article.pk}:{article.modified_at.timestamp() if article.modified_at else 0}"
    blocks: list[str] | None = cache.get(key)
    if blocks is None:
        body = Article.objects.filter(pk=article.pk).values_list("body", flat=True).first() or ""
        blocks = split_blocks(body)
        cache.set(key, blocks, 3600)
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
    sections: list[Section] | None = cache.get("nav-sections")
    if sections is None:
        sections = list(Section.objects.filter(show_in_nav=True))
        cache.set("nav-sections", sections, 60)
    return sections


def latest_for_feed(*, at: datetime, limit: int = 50) -> list[Article]:
    return list(_cards().live(at)[:limit])


def recent_for_news_sitemap(*, at: datetime) -> list[Article]:
    """Google News sitemaps list stories of the last 48 hours only."""
    return list(_cards().live(at).filter(published_at__gte=at - timedelta(hours=48))[:1000])
