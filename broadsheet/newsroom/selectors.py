"""Reads for the newsroom's pages. Every list sets select_related/prefetch."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, prefetch_related_objects

from broadsheet.core.generations import GenerationCache
from broadsheet.newsroom.html import split_blocks
from broadsheet.newsroom.models import Agency, Article, ArticleQuerySet, Author, Publication, Section
from broadsheet.pictures.html import absolute_url as picture_absolute_url
from broadsheet.pictures.html import body_pictures_expand, keys_in
from broadsheet.pictures.html import dimensions as picture_dimensions
from broadsheet.pictures.models import Picture

PAGE_SIZE = 20
# Reads of newsroom rows, per process, dropped whenever any newsroom row is written.
# Up to three entries per story (by URL, by id, its body blocks), and the desks.
_newsroom: GenerationCache[Any] = GenerationCache("newsroom", maxsize=8192)


@dataclass(frozen=True, slots=True)
class LogoRef:
    """The publisher's logo as JSON-LD and invoices need it: an absolute URL and its size."""

    url: str
    width: int
    height: int
    file: str = ""  # the rendition's name in the media storage (for documents that embed it)


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
    logo: LogoRef | None = None
    archive_on_meter: bool = False
    grievance_officer_name: str = ""
    grievance_officer_email: str = ""
    grievance_officer_phone: str = ""
    grievance_officer_address: str = ""

    @property
    def wire_disclaimer(self) -> str:
        """ "No Broadsheet Daily journalist was involved…": the name without a leading article."""
        name = self.name[4:] if self.name.lower().startswith("the ") else self.name
        return f"No {name} journalist was involved in creation of this content"


def _publication_build() -> PublicationSettings:
    pub = Publication.objects.select_related("logo").order_by("id").first() or Publication()
    logo = None
    if pub.logo is not None and pub.logo.widths:
        width, height = picture_dimensions(pub.logo)
        logo = LogoRef(
            url=picture_absolute_url(pub.logo),
            width=width,
            height=height,
            file=pub.logo.rendition_name(width, "jpg"),
        )
    return PublicationSettings(
        name=pub.name,
        legal_name=pub.legal_name,
        tagline=pub.tagline,
        time_zone=pub.time_zone,
        currency=pub.currency,
        anonymous_free_limit=pub.anonymous_free_limit,
        registered_free_limit=pub.registered_free_limit,
        registration_wall=pub.registration_wall,
        logo=logo,
        archive_on_meter=pub.archive_on_meter,
        grievance_officer_name=pub.grievance_officer_name,
        grievance_officer_email=pub.grievance_officer_email,
        grievance_officer_phone=pub.grievance_officer_phone,
        grievance_officer_address=pub.grievance_officer_address,
    )


def publication_get() -> PublicationSettings:
    """The publication's settings with the environment's overrides applied (built once per generation)."""
    limit, time_zone, regwall = (
        settings.BROADSHEET_FREE_LIMIT,
        settings.BROADSHEET_TIME_ZONE,
        settings.BROADSHEET_REGWALL,
    )

    def build() -> PublicationSettings:
        stored = _publication_build()
        overrides: dict[str, object] = {}
        if limit is not None:
            overrides["anonymous_free_limit"] = limit
            overrides["registered_free_limit"] = limit
        if time_zone:
            overrides["time_zone"] = time_zone
        if regwall is not None:
            overrides["registration_wall"] = regwall
        return replace(stored, **overrides) if overrides else stored  # type: ignore[arg-type]  # keys are fields

    # Keyed by the overrides as well: tests and `override_settings` change them at run time.
    found: PublicationSettings = _newsroom.get(("publication", limit, time_zone, regwall), build)
    return found


def _authors() -> Prefetch[Any]:
    """A story's authors as bylines need them."""
    return Prefetch("authors", queryset=Author.objects.only("id", "name", "slug"))


def _cards() -> ArticleQuerySet:
    """Articles as lists show them: never the body."""
    return (
        Article.objects.select_related("section", "section__required_benefit", "agency", "lead_picture")
        .prefetch_related(_authors())
        .defer("body")
    )


def is_live(article: Article, at: datetime) -> bool:
    """The same test as ArticleQuerySet.live, on one loaded article."""
    return (
        article.status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED)
        and article.published_at is not None
        and article.published_at <= at
    )


@dataclass(frozen=True, slots=True)
class _Desks:
    """Every section (with the benefit it asks for) and every agency, one instance each per process."""

    sections_by_slug: dict[str, Section]
    sections_by_id: dict[int, Section]
    agencies_by_id: dict[int, Agency]


def _desks() -> _Desks:
    def build() -> _Desks:
        sections = list(Section.objects.select_related("required_benefit"))
        return _Desks(
            sections_by_slug={s.slug: s for s in sections},
            sections_by_id={s.pk: s for s in sections},
            agencies_by_id={a.pk: a for a in Agency.objects.all()},
        )

    desks: _Desks = _newsroom.get("desks", build)
    return desks


def _story_load(*, pk: int | None = None, section_slug: str = "", slug: str = "") -> Article | None:
    """One story as its page needs it, body deferred: a single-table query for the row, its section
    and agency from the process's desks, its authors in one more query. Lists use _cards()."""
    desks = _desks()
    rows = Article.objects.defer("body").select_related("lead_picture").order_by()  # pk and slug are unique
    if pk is not None:
        rows = rows.filter(pk=pk)
    else:
        section = desks.sections_by_slug.get(section_slug)
        if section is None:
            return None
        rows = rows.filter(slug=slug, section_id=section.pk)
    article = next(iter(rows[:1]), None)
    if article is None:
        return None
    # A desk created after this process's map was built (within the request that read the stamps)
    # is read from its row instead.
    section = desks.sections_by_id.get(article.section_id)
    article.section = section or Section.objects.select_related("required_benefit").get(pk=article.section_id)
    if article.agency_id is not None:
        article.agency = desks.agencies_by_id.get(article.agency_id) or Agency.objects.get(pk=article.agency_id)
    prefetch_related_objects([article], _authors())
    return article


def article_at_url(*, section_slug: str, slug: str, fresh: bool = False) -> Article | None:
    """The article behind a URL, whatever its status, body deferred.

    Readers get a shared, cached instance (read-only); `fresh` reads the row (staff previews).
    """
    if fresh:
        return _story_load(section_slug=section_slug, slug=slug)
    article: Article | None = _newsroom.get(
        ("article", section_slug, slug), lambda: _story_keep(_story_load(section_slug=section_slug, slug=slug))
    )
    return article


def article_by_id(pk: int) -> Article | None:
    """An article by id, whatever its status, body deferred (a shared, cached instance: read-only)."""
    article: Article | None = _newsroom.get(("article-id", pk), lambda: _story_keep(_story_load(pk=pk)))
    return article


def _story_keep(article: Article | None) -> Article | None:
    """Keep a loaded story under both its keys: the page and the API share one instance."""
    if article is not None:
        _newsroom.put(("article", article.section.slug, article.slug), article)
        _newsroom.put(("article-id", article.pk), article)
    return article


def live_stories(*, at: datetime, section: Section | None = None, author: Author | None = None) -> ArticleQuerySet:
    """Stories readers may find now, as lists show them (never the body), newest first."""
    stories = _cards().live(at)
    if section is not None:
        stories = stories.filter(section=section)
    if author is not None:
        stories = stories.filter(authors=author)
    return stories


BODY_PICTURE_SIZES = "(min-width: 44rem) 42rem, 100vw"


def _body_blocks_build(article_id: int) -> list[str]:
    body = next(iter(Article.objects.filter(pk=article_id).order_by().values_list("body", flat=True)[:1]), "")
    keys = keys_in(body)
    pictures = {p.key: p for p in Picture.objects.filter(key__in=keys)} if keys else {}
    return body_pictures_expand(split_blocks(body), pictures, sizes=BODY_PICTURE_SIZES)


def article_body_blocks(article: Article, *, fresh: bool = False) -> list[str]:
    """The body split in blocks, library pictures expanded. Called only for readers whose Decision is open.

    `fresh` (a staff preview of a story not yet live) reads the row and caches nothing.
    """
    if fresh:
        return _body_blocks_build(article.pk)
    blocks: list[str] = _newsroom.get(("body", article.pk), lambda: _body_blocks_build(article.pk))
    return blocks


HOME_TIER = 4
HOME_LATEST = 8
HOME_PREMIUM = 4
HOME_SECTION = 4


@dataclass(frozen=True, slots=True)
class HomePage:
    lead: Article | None
    tier: list[Article]
    latest: list[Article]
    premium_picks: list[Article]
    section_blocks: list[tuple[Section, list[Article]]]


def home_page(*, at: datetime) -> HomePage:
    """The front page in its tiers, no story twice: the newest top story leads, the other top
    stories (topped up with the newest) follow, then Latest, premium picks and the section blocks."""
    live = _cards().live(at)
    tops = list(live.filter(is_top_story=True)[: HOME_TIER + 1])
    shown = {a.pk for a in tops}
    fill = HOME_TIER + 1 - len(tops)
    if fill > 0:
        tops += list(live.exclude(pk__in=shown)[:fill])
        shown = {a.pk for a in tops}
    latest = list(live.exclude(pk__in=shown)[:HOME_LATEST])
    shown |= {a.pk for a in latest}
    premium = list(live.filter(access=Article.Access.PREMIUM).exclude(pk__in=shown)[:HOME_PREMIUM])
    shown |= {a.pk for a in premium}
    blocks = []
    for section in nav_sections():
        stories = list(live.filter(section=section).exclude(pk__in=shown)[:HOME_SECTION])
        shown |= {a.pk for a in stories}
        if stories:
            blocks.append((section, stories))
    return HomePage(
        lead=tops[0] if tops else None, tier=tops[1:], latest=latest, premium_picks=premium, section_blocks=blocks
    )


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
