"""The one place a blocked decision becomes a teaser.

The locked part of the body never enters the template context unless the
decision is open: templates cannot leak what they are not given.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from broadsheet.billing.selectors import benefit_cards
from broadsheet.core import clock
from broadsheet.core.periods import meter_resets_on
from broadsheet.core.script_json import script_json
from broadsheet.core.urls_fixed import fixed_url
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.selectors import PublicationSettings, article_body_blocks
from broadsheet.paywall import conf
from broadsheet.paywall.access import ARCHIVE_BENEFIT, Decision, Outcome, Reason
from broadsheet.paywall.services import ArticleAccess, is_free_to_all
from broadsheet.pictures.html import absolute_url as picture_url
from broadsheet.pictures.html import dimensions as picture_dimensions

# The locked part of a story that is not free to all: the rest of the body for a reader
# it is open to, the offer for one it is not. A free story's rest has another class, so
# the selector the JSON-LD names matches exactly the part the paywall decides on.
LOCKED_CLASS = "article-locked"
LOCKED_SELECTOR = f".{LOCKED_CLASS}"
FREE_REST_CLASS = "article-rest"


def article_text(*, article: Article, decision: Decision, fresh: bool = False) -> tuple[str, list[str]]:
    """(the lead, the rest of the body in blocks). The rest is loaded only for an open decision:
    a blocked one gets the lead alone (the teaser), on every surface. `fresh` reads past the cache
    (a staff preview of a story not yet live)."""
    if decision.is_open:
        blocks = article_body_blocks(article, fresh=fresh)
        return (blocks[0], blocks[1:]) if blocks else ("", [])
    return article.lead, []


def article_context(
    *, article: Article, result: ArticleAccess, canonical_url: str, preview: str = ""
) -> dict[str, Any]:
    """The page's context; `preview` (staff, a story not yet live) is the banner's words, and caches nothing."""
    decision = result.decision
    publication = result.publication

    # Callables, called only when the page is rendered: a kept page needs no body at all.
    loaded: list[SafeString] = []

    def text() -> list[SafeString]:
        if not loaded:
            lead, rest = article_text(article=article, decision=decision, fresh=bool(preview))
            loaded.extend((mark_safe(lead), mark_safe("\n".join(rest))))  # noqa: S308 - sanitised by nh3 on save
        return loaded

    context: dict[str, Any] = {
        "article": article,
        "decision": decision,
        "is_open": decision.is_open,
        "lead_html": lambda: text()[0],
        "rest_html": lambda: text()[1],
        "rest_class": FREE_REST_CLASS if is_free_to_all(article) else LOCKED_CLASS,
        "countdown": countdown(decision, publication=publication),
        "canonical_url": canonical_url,
        "current_section": article.section.slug,
        "og_image": lambda: og_image(article),  # called only when the cached head fragment is rebuilt
        "preview": preview,
        # A callable: templates call it only when the cached head fragment is rebuilt.
        "json_ld": lambda: json_ld(article=article, canonical_url=canonical_url, publication=publication),
    }
    if not decision.is_open:
        context["offer"] = offer(article=article, decision=decision, path=canonical_url)
    return context


def countdown(decision: Decision, *, publication: PublicationSettings) -> str | None:
    """ "2 of 5 free articles left this month; the count starts again on 1 January", for views the meter opened."""
    if decision.reason not in (Reason.UNDER_LIMIT, Reason.ALREADY_COUNTED) or decision.limit is None:
        return None
    remaining = decision.remaining or 0
    noun = "article" if decision.limit == 1 else "articles"
    resets = meter_resets_on(clock.now(), publication.time_zone)
    return f"{remaining} of {decision.limit} free {noun} left this month; the count starts again on {resets:%-d %B}"


def og_image(article: Article) -> dict[str, Any] | None:
    picture = article.lead_picture
    if picture is None or not picture.widths:
        return None
    width, height = picture_dimensions(picture)
    return {"url": picture_url(picture), "width": width, "height": height, "alt": picture.alt}


def offer(*, article: Article, decision: Decision, path: str) -> dict[str, Any]:
    next_path = path_only(path)
    next_q = urlencode({"next": next_path})
    section_benefit = article.section.required_benefit
    if decision.reason is Reason.ARCHIVE:
        headline = ARCHIVE_HEADLINE
    elif decision.reason is Reason.PREMIUM and section_benefit is not None:
        headline = f"This story is part of {section_benefit.name}, included with a subscription"
    elif decision.reason is Reason.PREMIUM:
        headline = "This is a premium story"
    elif decision.reason is Reason.NETWORK_LIMIT:
        headline = "Register free to read on: your own free stories are waiting"
    elif decision.outcome is Outcome.REGWALL:
        headline = "Register free to keep reading"
    else:
        noun = "article" if decision.limit == 1 else "articles"
        headline = f"You've reached your limit of {decision.limit} free {noun} this month."
    return {
        "kind": decision.outcome.value,
        "network_limit": decision.reason is Reason.NETWORK_LIMIT,
        "headline": headline,
        "archive": decision.archived,
        "benefit_description": archive_words(decision) if decision.archived else "",
        "next": next_path,
        "login_url": f"{fixed_url('account_login')}?{next_q}",
        "signup_url": f"{fixed_url('account_signup')}?{next_q}",
        "subscribe_action": fixed_url("subscribe"),
    }


ARCHIVE_HEADLINE = "This story is from our archive, which subscribers read in full"


def archive_words(decision: Decision) -> str:
    """What the offer says about the archive: why this story is locked, and what the benefit gives."""
    description = next((b.description for b in benefit_cards() if b.code == ARCHIVE_BENEFIT), "")
    if decision.reason is Reason.ARCHIVE:
        age = archive_age_words(conf.archive_age_days())
        return f"Stories older than {age} are kept for subscribers. {description}".strip()
    return f"This story is from our archive. {description}".strip()


def archive_age_words(days: int) -> str:
    """ "a year", "2 years", "90 days": the archive age as a reader reads it."""
    if days % 365 == 0:
        years = days // 365
        return "a year" if years == 1 else f"{years} years"
    return "a day" if days == 1 else f"{days} days"


def benefit_offer(*, benefit_code: str, headline: str, path: str) -> dict[str, Any]:
    """The paywall's offer for a benefit that is not an article (the e-paper), naming the benefit."""
    next_path = path_only(path)
    next_q = urlencode({"next": next_path})
    return {
        "kind": Outcome.PAYWALL.value,
        "headline": headline,
        "benefit": benefit_code,
        "next": next_path,
        "login_url": f"{fixed_url('account_login')}?{next_q}",
        "signup_url": f"{fixed_url('account_signup')}?{next_q}",
        "subscribe_action": fixed_url("subscribe"),
    }


def path_only(url: str) -> str:
    """The path of an absolute URL, for ?next= (never an open redirect)."""
    if "://" in url:
        url = "/" + url.split("://", 1)[1].partition("/")[2]
    return url


def _publisher(publication: PublicationSettings) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "NewsMediaOrganization", "name": publication.name, "url": settings.SITE_URL + "/"}
    if publication.logo is not None:
        logo = publication.logo
        data["logo"] = {"@type": "ImageObject", "url": logo.url, "width": logo.width, "height": logo.height}
    return data


def json_ld(*, article: Article, canonical_url: str, publication: PublicationSettings) -> SafeString:
    """NewsArticle structured data. Never carries the body, open or not."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.standfirst,
        "mainEntityOfPage": canonical_url,
        "url": canonical_url,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": (article.updated_at or article.published_at).isoformat() if article.published_at else None,
        "articleSection": article.section.name,
        "publisher": _publisher(publication),
        "isAccessibleForFree": is_free_to_all(article),
    }
    if article.agency_id:
        data["author"] = {"@type": "Organization", "name": article.agency.name}  # type: ignore[union-attr]
    else:
        data["author"] = [
            {"@type": "Person", "name": a.name, "url": settings.SITE_URL + a.get_absolute_url()}
            for a in article.authors.all()
        ]
    image = og_image(article)
    if image is not None:
        data["image"] = [
            {"@type": "ImageObject", "url": image["url"], "width": image["width"], "height": image["height"]}
        ]
    if not data["isAccessibleForFree"]:
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": LOCKED_SELECTOR,
        }
    return script_json(data)


def channel_story(*, article: Article, decision: Decision, full: bool) -> dict[str, Any]:
    """A story in a newsletter or its web view: the text when the decision is open, else the teaser and offer.

    `full` is the list's format: the whole story (open readers only) or the lead.
    The locked blocks are loaded only for an open decision.
    """
    lead, rest = article_text(article=article, decision=decision) if full else (article.lead, [])
    story: dict[str, Any] = {
        "article": article,
        "is_open": decision.is_open,
        "lead_html": mark_safe(lead),  # noqa: S308 - sanitised by nh3 on save
        "rest_html": mark_safe("\n".join(rest)),  # noqa: S308 - sanitised by nh3 on save
        "offer": None,
    }
    if decision.outcome is Outcome.METER:
        headline = "The rest is on our site, as one of your free stories this month."
        story["offer"] = {"kind": "meter", "headline": headline}
    elif not decision.is_open:
        story["offer"] = {
            "kind": "paywall",
            "headline": offer(article=article, decision=decision, path=article.get_absolute_url())["headline"],
        }
    return story
