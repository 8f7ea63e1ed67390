"""The e-paper through the API: editions by date, an edition's pages, a page's text, the PDF link.

Every reader may list the editions and see each front page's thumbnail (the teaser
the web shows too). The pages (their images and text) and the PDF are the product:
`epaper.access` decides them on every call, as it decides every web request. A
reader it opens them to gets image links signed for them (`epaper.links`), which an
<img> can load without the app's token; a reader it does not gets the offer instead,
and no page, image link or text.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.params import P, PathEx
from pydantic import Field

from broadsheet.api.pagination import PageParams, page_of
from broadsheet.api.problems import Problem, responses
from broadsheet.core import clock
from broadsheet.epaper import conf, links, rules, selectors
from broadsheet.epaper.access import epaper_access, epaper_offer
from broadsheet.epaper.file_views import pdf_filename
from broadsheet.epaper.models import Edition, Page
from broadsheet.epaper.views import image_url, long_date
from broadsheet.readers.api_auth import OPTIONAL_TOKEN, token_or_anonymous
from broadsheet.readers.app_tokens import TokenHolder
from broadsheet.site.api_schemas import OfferOut, offer_out

router = Router(tags=["E-paper"], auth=token_or_anonymous)
Slug = PathEx[str, P(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]
Number = PathEx[int, P(ge=1, le=10_000)]


class ImageOut(Schema):
    url: str
    width: int
    height: int


class RenditionsOut(Schema):
    page: ImageOut = Field(description="The reading image (BROADSHEET_EPAPER_READING_WIDTH wide)")
    thumb: ImageOut = Field(description="The thumbnail, for a page strip")


class EditionOut(Schema):
    date: Date
    slug: str
    name: str
    title: str = Field(description='e.g. "Mumbai, Monday, 30 November 2026"')
    page_count: int
    front_thumb: ImageOut | None = Field(description="The front page's thumbnail, which every reader may see")
    url: str = Field(description="The edition on the web")
    api_url: str = Field(description="This edition's pages (for readers the e-paper is open to)")


class EditionsOut(Schema):
    items: list[EditionOut]
    next_cursor: str | None = Field(description="null on the last page")
    open: bool = Field(description="Whether this reader may open the pages (holds the e-paper benefit)")


class EditionPageOut(Schema):
    number: int
    broken: bool = Field(description="The page could not be rendered: no images, no text")
    images: RenditionsOut | None
    text_url: str | None = Field(description="The page's text and images, through the API")


class EditionDetailOut(EditionOut):
    open: bool = Field(description="Whether this reader may read the pages now")
    reason: str = Field(description="Why: entitled, staff, or needs_benefit")
    pages: list[EditionPageOut] = Field(description="Every page with its signed image links; empty when locked")
    links_expire_at: datetime | None = Field(description="When the image links stop working: ask again after")
    download_url: str | None = Field(description="Where to ask for the signed PDF link (signed-in readers)")
    offer: OfferOut | None = Field(description="Locked: the plans that include the e-paper")


class PageTextOut(Schema):
    date: Date
    slug: str
    number: int
    page_count: int
    images: RenditionsOut | None
    text: str = Field(description="The page's text as printed, line by line in reading order (empty for a broken page)")
    paragraphs: list[str] = Field(description="The same text joined into paragraphs, for reading it as text")
    links_expire_at: datetime


class DownloadOut(Schema):
    url: str = Field(description="The whole edition as one PDF: opens without the token, for minutes")
    filename: str
    size_bytes: int
    expires_at: datetime


class EditionFilter(Schema):
    date: Date | None = Field(None, description="Only the editions of this date (YYYY-MM-DD)")


def _api_path(edition: Edition) -> str:
    return f"{settings.SITE_URL}/api/v1/epaper/editions/{edition.date.isoformat()}/{edition.slug}"


def _front_thumb(edition: Edition, front: Page | None) -> ImageOut | None:
    if front is None or front.is_broken or not front.thumb:
        return None
    url = settings.SITE_URL + image_url(edition, front, thumb=True)
    return ImageOut(url=url, width=front.thumb_width, height=front.thumb_height)


def _edition_out(edition: Edition, front: Page | None) -> dict[str, object]:
    printing = edition.current
    assert printing is not None  # selectors return live editions only
    return {
        "date": edition.date,
        "slug": edition.slug,
        "name": edition.name,
        "title": f"{edition.name}, {long_date(edition.date)}",
        "page_count": printing.page_count,
        "front_thumb": _front_thumb(edition, front),
        "url": settings.SITE_URL + edition.get_absolute_url(),
        "api_url": _api_path(edition),
    }


def _page_signature(request: HttpRequest, edition: Edition) -> str:
    """The signature of this reader's page links: their device's, or (a network reader) none."""
    holder = getattr(request, "auth", None)
    key = edition.current.key  # type: ignore[union-attr]
    if isinstance(holder, TokenHolder):
        return links.page_token(user_id=holder.user_id, device_id=holder.device_id, printing_key=key)
    return links.page_token(user_id=None, device_id=None, printing_key=key)


def _renditions(edition: Edition, page: Page, signature: str) -> RenditionsOut | None:
    if page.is_broken:
        return None
    query = f"?s={signature}"
    return RenditionsOut(
        page=ImageOut(url=settings.SITE_URL + image_url(edition, page) + query, width=page.width, height=page.height),
        thumb=ImageOut(
            url=settings.SITE_URL + image_url(edition, page, thumb=True) + query,
            width=page.thumb_width,
            height=page.thumb_height,
        ),
    )


def _edition_or_404(day: Date, slug: str) -> Edition:
    found = selectors.edition_get(day, slug)
    if found is None:
        raise Problem("not_found", "No such edition.")
    return found


def _offer(request: HttpRequest, edition: Edition) -> OfferOut:
    out = offer_out(epaper_offer(request, path=edition.get_absolute_url()), site=settings.SITE_URL)
    with_epaper = [p for p in out.plans if conf.BENEFIT in p.benefits]
    return out.model_copy(update={"plans": with_epaper or out.plans})


def _not_open(request: HttpRequest, edition: Edition) -> Problem:
    return Problem(
        "not_entitled",
        "The e-paper is part of a subscription.",
        offer=_offer(request, edition).model_dump(mode="json"),
    )


@router.get(
    "/epaper/editions",
    summary="E-paper editions, newest first",
    response={200: EditionsOut, **responses(400, 401)},
    openapi_extra=OPTIONAL_TOKEN,
)
def editions_list(request: HttpRequest, page: Query[PageParams], only: Query[EditionFilter]) -> EditionsOut:
    """The editions a reader can open, newest date first (one date with `date`), each with its front
    page's thumbnail. `open` says whether this reader may read their pages."""
    items, cursor = page_of(selectors.editions_visible(day=only.date), page, by="date")
    fronts = selectors.front_pages(items)
    return EditionsOut(
        items=[EditionOut(**_edition_out(e, fronts.get(e.pk))) for e in items],  # type: ignore[arg-type]
        next_cursor=cursor,
        open=epaper_access(request).decision.is_open,
    )


@router.get(
    "/epaper/editions/{day}/{slug}",
    summary="One edition and its pages",
    response={200: EditionDetailOut, **responses(401, 404)},
    openapi_extra=OPTIONAL_TOKEN,
)
def edition_get(request: HttpRequest, day: Date, slug: Slug) -> EditionDetailOut:
    """One edition. To a reader with the e-paper: every page with its image renditions, signed for
    this reader for `BROADSHEET_EPAPER_LINK_MINUTES`. To anyone else: the front thumbnail and the offer."""
    edition = _edition_or_404(day, slug)
    pages = selectors.pages_of(edition)
    decision = epaper_access(request).decision
    base = _edition_out(edition, pages[0] if pages else None)
    if not decision.is_open:
        return EditionDetailOut(
            **base,  # type: ignore[arg-type]
            open=False,
            reason=decision.reason.value,
            pages=[],
            links_expire_at=None,
            download_url=None,
            offer=_offer(request, edition),
        )
    signature = _page_signature(request, edition)
    api_base = _api_path(edition)
    return EditionDetailOut(
        **base,  # type: ignore[arg-type]
        open=True,
        reason=decision.reason.value,
        pages=[
            EditionPageOut(
                number=p.number,
                broken=p.is_broken,
                images=_renditions(edition, p, signature),
                text_url=None if p.is_broken else f"{api_base}/pages/{p.number}",
            )
            for p in pages
        ],
        links_expire_at=links.link_expiry(clock.now()),
        download_url=f"{api_base}/download" if isinstance(getattr(request, "auth", None), TokenHolder) else None,
        offer=None,
    )


@router.get(
    "/epaper/editions/{day}/{slug}/pages/{number}",
    summary="One page: its text and images",
    response={200: PageTextOut, **responses(401, 403, 404)},
    openapi_extra=OPTIONAL_TOKEN,
)
def page_get(request: HttpRequest, day: Date, slug: Slug, number: Number) -> PageTextOut:
    """One page's text (as printed, for reading aloud or copying a passage) and its signed image
    links. Only for readers with the e-paper: anyone else gets `403 not_entitled` with the offer."""
    edition = _edition_or_404(day, slug)
    if not epaper_access(request).decision.is_open:
        raise _not_open(request, edition)
    page = selectors.page_of_edition(edition, number)
    if page is None:
        raise Problem("not_found", "No such page in this edition.")
    return PageTextOut(
        date=edition.date,
        slug=edition.slug,
        number=page.number,
        page_count=edition.current.page_count,  # type: ignore[union-attr]
        images=_renditions(edition, page, _page_signature(request, edition)),
        text="" if page.is_broken else page.text,
        paragraphs=[] if page.is_broken else rules.text_paragraphs(page.text),
        links_expire_at=links.link_expiry(clock.now()),
    )


@router.get(
    "/epaper/editions/{day}/{slug}/download",
    summary="A signed link to the edition's PDF",
    response={200: DownloadOut, **responses(401, 403, 404)},
    openapi_extra=OPTIONAL_TOKEN,
)
def download_get(request: HttpRequest, day: Date, slug: Slug) -> DownloadOut:
    """A link to the whole edition as a PDF, made for this reader and this device: it opens in a
    browser without the token, for `BROADSHEET_EPAPER_LINK_MINUTES`, while the device is signed in
    and the reader holds the e-paper. Signed-in readers only (a link needs an account)."""
    edition = _edition_or_404(day, slug)
    if not epaper_access(request).decision.is_open:
        raise _not_open(request, edition)
    holder = getattr(request, "auth", None)
    if not isinstance(holder, TokenHolder):
        raise Problem("not_signed_in", "Sign in to download the edition: a download link is made for an account.")
    printing = edition.current
    assert printing is not None
    token = links.download_token(user_id=holder.user_id, printing_key=printing.key, device_id=holder.device_id)
    filename = pdf_filename(printing)
    return DownloadOut(
        url=settings.SITE_URL + reverse("epaper-pdf", args=[token, filename]),
        filename=filename,
        size_bytes=printing.size_bytes,
        expires_at=links.link_expiry(clock.now()),
    )
