"""The demo's print editions: one Mumbai edition for each of the last seven days (and a Delhi
edition today), laid out from the demo stories with `layout`, uploaded and rendered inline.

Each page prints a unique reference code (`page_code`), so the leak tests can
look for a page's text in any response.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from io import BytesIO

from broadsheet.core import clock
from broadsheet.core.periods import zone
from broadsheet.epaper import layout, selectors
from broadsheet.epaper.models import Edition
from broadsheet.epaper.rendering import printing_render
from broadsheet.epaper.uploads import Upload, edition_upload
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.selectors import publication_get

DAYS = 7
PAGES = 8
STORIES_PER_PAGE = 5
PRESS_TIME = time(4, 30)  # stories published before this (publication time) make that day's paper
SECTION_ORDER = ("india", "economy", "markets", "companies", "technology", "world", "market-analysis", "opinion")
_PARA = re.compile(r"<p[^>]*>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


def page_code(day: date, slug: str, number: int) -> str:
    """The page's reference code: unique per date, edition and page."""
    digest = hashlib.sha256(f"{day.isoformat()}/{slug}/{number}".encode()).hexdigest()[:10]
    return f"EP{day:%y%m%d}{slug[:3].upper()}{number:02d}X{digest}"


def _paragraphs(body: str) -> tuple[str, ...]:
    return tuple(html.unescape(_TAG.sub("", p)).strip() for p in _PARA.findall(body) if p.strip())


def _print_story(article: Article) -> layout.PrintStory:
    authors = " and ".join(a.name for a in article.authors.all())
    byline = article.agency.name if article.agency else f"By {authors}"
    return layout.PrintStory(
        headline=article.headline,
        standfirst=article.standfirst,
        byline=byline,
        paragraphs=_paragraphs(article.body),
    )


def stories_before(deadline: datetime, limit: int = 60) -> list[Article]:
    return list(
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__lt=deadline)
        .select_related("section", "agency")
        .prefetch_related("authors")
        .order_by("-published_at")[:limit]
    )


def edition_plan(
    *, day: date, name: str, slug: str, articles: list[Article], lead_section: str | None
) -> layout.EditionPlan:
    """Front page: the newest stories (the lead section's first); then a page per section, then more news."""
    pool = list(articles)
    if lead_section:
        pool.sort(key=lambda a: a.section.slug != lead_section)  # stable: newest first within each group
    front, rest = pool[:STORIES_PER_PAGE], pool[STORIES_PER_PAGE:]
    pages = [("Front page", front)]
    for section_slug in SECTION_ORDER:
        mine = [a for a in rest if a.section.slug == section_slug][:STORIES_PER_PAGE]
        if mine and len(pages) < PAGES:
            pages.append((mine[0].section.name, mine))
            rest = [a for a in rest if a not in mine]
    while len(pages) < PAGES and rest:
        pages.append(("More news", rest[:STORIES_PER_PAGE]))
        rest = rest[STORIES_PER_PAGE:]
    publication = publication_get()
    return layout.EditionPlan(
        publication=publication.name,
        tagline=publication.tagline,
        edition=name,
        day=day,
        pages=tuple(
            layout.PagePlan(section=title, stories=tuple(_print_story(a) for a in chosen), code=page_code(day, slug, n))
            for n, (title, chosen) in enumerate(pages, start=1)
        ),
    )


def demo_editions(*, progress: Callable[[str], None]) -> dict[str, int]:
    """Create the demo editions that are missing; a day that has its edition is left alone."""
    tz = zone(publication_get().time_zone)
    today = selectors.today()
    made = {"created": 0, "existing": 0, "pages": 0}
    wanted = [(today - timedelta(days=n), "Mumbai", None) for n in range(DAYS)] + [(today, "Delhi", "india")]
    for day, name, lead in wanted:
        slug = name.lower()
        if Edition.objects.filter(date=day, slug=slug, current__isnull=False).exists():
            made["existing"] += 1
            continue
        deadline = datetime.combine(day, PRESS_TIME, tzinfo=tz)
        articles = stories_before(deadline)
        if not articles:
            progress(f"  {day.isoformat()} {name}: no stories before press time, skipped")
            continue
        plan = edition_plan(day=day, name=name, slug=slug, articles=articles, lead_section=lead)
        data = layout.edition_pdf(plan)
        printing = edition_upload(
            upload=Upload(stream=BytesIO(data), size_bytes=len(data), name=f"{slug}-{day.isoformat()}.pdf"),
            day=day,
            name=name,
            replace=True,
            actor_id=None,
            at=clock.now(),
            today=today,
            enqueue=False,
        )
        summary = printing_render(printing_id=printing.pk)
        made["created"] += 1
        made["pages"] += summary.pages
        progress(f"  {day.isoformat()} {name}: {summary.line()}")
    return made
