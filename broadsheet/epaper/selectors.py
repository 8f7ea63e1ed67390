"""Reads for the reader's pages: which editions a reader may open, their pages, the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from broadsheet.core import clock
from broadsheet.core.periods import zone
from broadsheet.epaper.models import Clipping, Edition, Page
from broadsheet.newsroom.selectors import publication_get


def today() -> date:
    """Today in the publication's time zone: an edition is shown from its own date on."""
    return clock.now().astimezone(zone(publication_get().time_zone)).date()


def _visible(on_or_before: date) -> QuerySet[Edition]:
    return Edition.objects.filter(is_published=True, current__isnull=False, date__lte=on_or_before).select_related(
        "current"
    )


def edition_latest() -> Edition | None:
    return _visible(today()).order_by("-date", "name").first()


def editions_visible(*, day: date | None = None) -> QuerySet[Edition]:
    """The editions a reader can open (of one date, or every date up to today), for the API's list."""
    if day is not None and day > today():
        return Edition.objects.none()
    rows = _visible(today())
    return rows.filter(date=day) if day is not None else rows


def front_pages(editions: list[Edition]) -> dict[int, Page]:
    """Each edition's front page (for its thumbnail, which every reader may see), by edition id; no text."""
    pages = Page.objects.filter(printing__live_for__in=editions, number=1).select_related("printing__live_for")
    return {p.printing.live_for.pk: p for p in pages.defer("text", "words")}


def page_of_edition(edition: Edition, number: int) -> Page | None:
    """One page of the live printing, with its text (for readers the e-paper is open to)."""
    return Page.objects.filter(printing__live_for=edition, number=number).defer("words").first()


def editions_on(day: date) -> list[Edition]:
    """The editions a reader can open for one date, in name order (the edition picker)."""
    if day > today():
        return []
    return list(_visible(day).filter(date=day).order_by("name"))


def edition_get(day: date, slug: str) -> Edition | None:
    if day > today():
        return None
    return _visible(day).filter(date=day, slug=slug).first()


def pages_of(edition: Edition) -> list[Page]:
    """The live printing's pages, without their text (the viewer needs only the images)."""
    return list(Page.objects.filter(printing__live_for=edition).defer("text", "words").order_by("number"))


def page_by_key(key: str, number: int) -> tuple[Edition, Page] | None:
    """A page of a live, visible printing by the printing's key (image and text requests)."""
    page = (
        Page.objects.filter(printing__key=key, number=number).select_related("printing__edition").defer("words").first()
    )
    if page is None:
        return None
    edition = page.printing.edition
    if edition.current_id != page.printing_id or not edition.is_published or edition.date > today():
        return None
    return edition, page


def pages_with_text(edition: Edition) -> list[Page]:
    return list(Page.objects.filter(printing__live_for=edition, error="").only("number", "text", "words"))


@dataclass(frozen=True, slots=True)
class MonthOfEditions:
    year: int
    month: int
    days: dict[int, list[Edition]]  # day of the month → editions


def months_with_editions(limit: int = 12) -> list[MonthOfEditions]:
    """The latest months that have editions, newest first, each with its days (the archive calendar)."""
    months: dict[tuple[int, int], dict[int, list[Edition]]] = {}
    for edition in _visible(today()).order_by("-date", "name")[:2000]:
        key = (edition.date.year, edition.date.month)
        if key not in months and len(months) >= limit:
            break
        months.setdefault(key, {}).setdefault(edition.date.day, []).append(edition)
    return [MonthOfEditions(year=y, month=m, days=d) for (y, m), d in months.items()]


def edition_names() -> list[str]:
    """The names editors have used, most recent first (the upload form's suggestions)."""
    seen: dict[str, None] = {}
    for name in Edition.objects.order_by("-date").values_list("name", flat=True)[:200]:
        seen.setdefault(name, None)
    return list(seen)


def clipping_get(key: str) -> Clipping | None:
    clip = Clipping.objects.filter(key=key).select_related("edition").first()
    if clip is None or not clip.edition.is_published:
        return None
    return clip
