"""Reading through the API: sections, fronts, story lists and one story behind the paywall.

One story asks `paywall.services.article_access_decide`, the same service the article
page asks, so the API and the web share one meter per reader. The text comes from
`paywall.render.article_text`: the lead alone unless the decision is open.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.params import P, PathEx

from broadsheet.api.pagination import PageParams, page_of
from broadsheet.api.problems import Problem, responses
from broadsheet.core import clock
from broadsheet.newsroom import selectors
from broadsheet.newsroom.models import Article, Author, Section
from broadsheet.paywall.access import Decision
from broadsheet.paywall.identity import reader_cookie_set
from broadsheet.paywall.render import article_text, countdown, offer
from broadsheet.paywall.services import article_access_decide, keep_until
from broadsheet.readers.api_auth import OPTIONAL_TOKEN, token_or_anonymous
from broadsheet.site.api_schemas import (
    ArticleOut,
    FrontOut,
    OfferOut,
    PageOut,
    SectionFrontOut,
    SectionOut,
    card,
    offer_out,
    section_out,
)

router = Router(tags=["Reading"], auth=token_or_anonymous)
MAX_ID = 2**62


@router.get(
    "/sections",
    summary="The sections",
    response={200: list[SectionOut], **responses(401)},
    openapi_extra=OPTIONAL_TOKEN,
)
def sections_list(request: HttpRequest) -> list[SectionOut]:
    """The sections in navigation order."""
    return [section_out(s) for s in selectors.nav_sections()]


@router.get(
    "/front", summary="The home page front", response={200: FrontOut, **responses(401)}, openapi_extra=OPTIONAL_TOKEN
)
def front(request: HttpRequest) -> FrontOut:
    """The home page: top stories, the latest, premium picks and a block per section."""
    page = selectors.home_page(at=clock.now())
    top = [page.lead, *page.tier] if page.lead else page.tier
    return FrontOut(
        top=[card(a) for a in top],
        latest=[card(a) for a in page.latest],
        premium=[card(a) for a in page.premium_picks],
        sections=[
            SectionFrontOut(section=section_out(sec), stories=[card(a) for a in stories], next_cursor=None)
            for sec, stories in page.section_blocks
        ],
    )


@router.get(
    "/sections/{slug}",
    summary="A section's front",
    response={200: SectionFrontOut, **responses(401, 404)},
    openapi_extra=OPTIONAL_TOKEN,
)
def section_front(
    request: HttpRequest, page: Query[PageParams], slug: PathEx[str, P(max_length=80)]
) -> SectionFrontOut:
    """A section's front: its newest stories, then `cursor` for more."""
    section = Section.objects.filter(slug=slug).first()
    if section is None:
        raise Problem("not_found", "No such section.")
    items, cursor = page_of(selectors.live_stories(at=clock.now(), section=section), page)
    return SectionFrontOut(section=section_out(section), stories=[card(a) for a in items], next_cursor=cursor)


@router.get(
    "/articles",
    summary="Stories, newest first",
    response={200: PageOut, **responses(400, 401, 404)},
    openapi_extra=OPTIONAL_TOKEN,
)
def articles_list(
    request: HttpRequest, page: Query[PageParams], section: str | None = None, author: str | None = None
) -> PageOut:
    """Stories newest first, optionally of one section or author. Pass `next_cursor` back as `cursor`."""
    sec = Section.objects.filter(slug=section).first() if section else None
    person = Author.objects.filter(slug=author).first() if author else None
    if (section and sec is None) or (author and person is None):
        raise Problem("not_found", "No such section or author.")
    items, cursor = page_of(selectors.live_stories(at=clock.now(), section=sec, author=person), page)
    return PageOut(items=[card(a) for a in items], next_cursor=cursor)


@router.get(
    "/articles/{article_id}",
    summary="One story, behind the paywall",
    response={200: ArticleOut, **responses(401, 404, 410)},
    openapi_extra=OPTIONAL_TOKEN,
)
def article_read(
    request: HttpRequest, response: HttpResponse, article_id: PathEx[int, P(ge=1, le=MAX_ID)]
) -> ArticleOut:
    """One story. The whole text when the paywall opens it for this reader (counting a metered
    view exactly as the web does); otherwise the lead and the offer."""
    story = selectors.article_by_id(article_id)
    now = clock.now()
    if story is None or (story.status != Article.Status.WITHDRAWN and not selectors.is_live(story, now)):
        raise Problem("not_found", "No such story.")
    if story.status == Article.Status.WITHDRAWN:
        raise Problem("withdrawn", story.withdrawal_notice)
    result = article_access_decide(request=request, article=story)
    reader_cookie_set(request, response)
    decision = result.decision
    lead, rest = article_text(article=story, decision=decision)
    return ArticleOut(
        **card(story).model_dump(),
        open=decision.is_open,
        reason=decision.reason.value,
        lead_html=lead,
        body_html="\n".join([lead, *rest]) if decision.is_open else None,
        signoff=f"--{story.agency.code}" if decision.is_open and story.agency_id else None,  # type: ignore[union-attr]
        desk=(story.desk_initials or None) if decision.is_open else None,
        disclaimer=result.publication.wire_disclaimer if story.agency_id else None,
        countdown=countdown(decision, publication=result.publication),
        meter_used=decision.used,
        meter_limit=decision.limit,
        keep_until=keep_until(result=result, article=story, at=now) if decision.is_open else None,
        offer=None if decision.is_open else _offer(story, decision),
    )


def _offer(story: Article, decision: Decision) -> OfferOut:
    path = story.get_absolute_url()
    return offer_out(offer(article=story, decision=decision, path=path), site=settings.SITE_URL)
