"""What the reading endpoints return. Story text appears in one schema only (ArticleOut),
and only what `paywall.render.article_text` handed over."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.http import urlencode
from ninja import Schema
from pydantic import Field

from broadsheet.billing.selectors import plans_for_paywall
from broadsheet.newsroom.models import Article, Section
from broadsheet.pictures.html import renditions
from broadsheet.pictures.models import Picture


class SectionOut(Schema):
    slug: str
    name: str
    description: str
    premium: bool = Field(description="Every story in it needs a benefit")
    url: str


class AuthorOut(Schema):
    name: str
    slug: str


class RenditionOut(Schema):
    url: str
    width: int
    height: int
    format: str = Field(description="webp or jpeg")


class PictureOut(Schema):
    """A story's lead picture: every stored size in two formats, for a srcset or the right pick."""

    alt: str = Field(description="What it shows, for readers who cannot see it")
    caption: str
    credit: str
    width: int = Field(description="The largest rendition's width; with `height`, the aspect ratio")
    height: int
    renditions: list[RenditionOut] = Field(description="Narrowest first; WebP and JPEG of each width")


class CardOut(Schema):
    """A story as lists show it: never its text."""

    id: int
    headline: str
    standfirst: str
    section: SectionOut
    authors: list[AuthorOut]
    agency: str | None = Field(description="The wire agency for agency copy")
    byline: str
    access: str = Field(description="free, metered or premium")
    published_at: datetime
    updated_at: datetime | None
    url: str = Field(description="The story on the web")
    picture: PictureOut | None = Field(None, description="The lead picture, where the story has one")


class SectionFrontOut(Schema):
    section: SectionOut
    stories: list[CardOut]
    next_cursor: str | None = Field(description="Pass as `cursor` to /articles?section=… for more")


class FrontOut(Schema):
    top: list[CardOut]  # the first one leads the front
    latest: list[CardOut]
    premium: list[CardOut]
    sections: list[SectionFrontOut]


class PageOut(Schema):
    items: list[CardOut]
    next_cursor: str | None = Field(description="null on the last page")


class PlanOut(Schema):
    slug: str
    name: str
    price_minor: int = Field(description="In minor units (paise), tax included")
    currency: str
    price: str = Field(description="Formatted for the reader, e.g. ₹2,700")
    period_months: int
    period: str
    per_month_minor: int
    per_month: str
    benefits: list[str] = Field(description="Codes of the benefits the plan grants")


class BenefitOut(Schema):
    code: str
    name: str
    description: str


class OfferOut(Schema):
    kind: str = Field(description="paywall or regwall")
    headline: str
    plans: list[PlanOut]
    benefits: list[BenefitOut]
    renews: str
    subscribe_url: str
    login_url: str
    signup_url: str


class ArticleOut(CardOut):
    open: bool = Field(description="Whether this reader may read the whole story now")
    reason: str = Field(
        description="Why: free, entitled, under_limit, already_counted, premium, limit_reached, archive, …"
    )
    lead_html: str = Field(description="The first paragraph (the teaser when locked)")
    body_html: str | None = Field(description="The whole story as HTML when open; null when locked")
    signoff: str | None
    desk: str | None
    disclaimer: str | None = Field(description="For agency copy")
    countdown: str | None = Field(description='e.g. "2 of 5 free articles left this month"')
    meter_used: int | None
    meter_limit: int | None
    keep_until: datetime | None = Field(
        description="Open stories only: until when the app may keep this text offline; null: no end"
    )
    offer: OfferOut | None = Field(description="Locked stories only: what opens it")


def section_out(section: Section) -> SectionOut:
    return SectionOut(
        slug=section.slug,
        name=section.name,
        description=section.description,
        premium=section.required_benefit_id is not None,
        url=settings.SITE_URL + section.get_absolute_url(),
    )


def picture_out(picture: Picture | None) -> PictureOut | None:
    if picture is None or not picture.widths:
        return None
    sizes = [RenditionOut(url=u, width=w, height=h, format=kind) for u, w, h, kind in renditions(picture)]
    return PictureOut(
        alt=picture.alt,
        caption=picture.caption,
        credit=picture.credit,
        width=sizes[-1].width,
        height=sizes[-1].height,
        renditions=sizes,
    )


def card(article: Article) -> CardOut:
    authors = [AuthorOut(name=a.name, slug=a.slug) for a in article.authors.all()]
    agency = article.agency.name if article.agency_id else None  # type: ignore[union-attr]
    premium = article.access == Article.Access.PREMIUM or article.section.required_benefit_id is not None
    return CardOut(
        id=article.pk,
        headline=article.headline,
        standfirst=article.standfirst,
        section=section_out(article.section),
        authors=authors,
        agency=agency,
        byline=f"By {agency}" if agency else ("By " + ", ".join(a.name for a in authors) if authors else ""),
        access="premium" if premium else article.access,
        published_at=article.published_at,  # type: ignore[arg-type]  # live stories have one
        updated_at=article.updated_at,
        url=settings.SITE_URL + article.get_absolute_url(),
        picture=picture_out(article.lead_picture),
    )


def offer_out(offer: dict[str, Any], *, site: str) -> OfferOut:
    plans, benefits = plans_for_paywall()
    return OfferOut(
        kind=offer["kind"],
        headline=offer["headline"],
        plans=[
            PlanOut(
                slug=p.slug,
                name=p.name,
                price_minor=p.price_minor,
                currency=p.currency,
                price=p.price,
                period_months=p.period_months,
                period=p.period,
                per_month_minor=p.per_month_minor,
                per_month=p.per_month,
                benefits=list(p.benefits),
            )
            for p in plans
        ],
        benefits=[BenefitOut(code=b.code, name=b.name, description=b.description) for b in benefits],
        renews="Renews automatically, cancel anytime",
        subscribe_url=f"{site}{offer['subscribe_action']}?{urlencode({'next': offer['next']})}",
        login_url=site + offer["login_url"],
        signup_url=site + offer["signup_url"],
    )
