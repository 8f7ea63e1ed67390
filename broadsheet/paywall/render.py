"""The one place a blocked decision becomes a teaser.

The locked part of the body never enters the template context unless the
decision is open: templates cannot leak what they are not given.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from broadsheet.core.urls_fixed import fixed_url
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.selectors import article_body_blocks
from broadsheet.paywall.access import Decision, Outcome, Reason
from broadsheet.paywall.services import ArticleAccess, is_free_to_all

LOCKED_SELECTOR = ".article-locked"


def article_context(*, article: Article, result: ArticleAccess, canonical_url: str) -> dict[str, Any]:
    decision = result.decision
    if decision.is_open:
        blocks = article_body_blocks(article)
        lead, rest = (blocks[0], blocks[1:]) if blocks else ("", [])
    else:
        lead, rest = article.lead, []
    context: dict[str, Any] = {
        "article": article,
        "decision": decision,
        "is_open": decision.is_open,
        "lead_html": mark_safe(lead),  # noqa: S308 - sanitised by nh3 on save
        "rest_html": mark_safe("\n".join(rest)),  # noqa: S308 - sanitised by nh3 on save
        "countdown": countdown(decision),
        "canonical_url": canonical_url,
        # A callable: templates call it only when the cached head fragment is rebuilt.
        "json_ld": lambda: json_ld(article=article, canonical_url=canonical_url, publisher=result.publication.name),
    }
    if not decision.is_open:
        context["offer"] = offer(article=article, decision=decision, path=canonical_url)
    return context


def countdown(decision: Decision) -> str | None:
    """ "2 of 5 free articles left this month", for views opened by the meter."""
    if decision.reason not in (Reason.UNDER_LIMIT, Reason.ALREADY_COUNTED) or decision.limit is None:
        return None
    remaining = decision.remaining or 0
    noun = "article" if decision.limit == 1 else "articles"
    return f"{remaining} of {decision.limit} free {noun} left this month"


def offer(*, article: Article, decision: Decision, path: str) -> dict[str, Any]:
    next_path = path_only(path)
    next_q = urlencode({"next": next_path})
    section_benefit = article.section.required_benefit
    if decision.reason is Reason.PREMIUM and section_benefit is not None:
        headline = f"This story is part of {section_benefit.name}, included with a subscription"
    elif decision.reason is Reason.PREMIUM:
        headline = "This is a premium story"
    elif decision.outcome is Outcome.REGWALL:
        headline = "Register free to keep reading"
    else:
        noun = "article" if decision.limit == 1 else "articles"
        headline = f"You've reached your limit of {decision.limit} free {noun} this month."
    return {
        "kind": decision.outcome.value,
        "headline": headline,
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


def json_ld(*, article: Article, canonical_url: str, publisher: str) -> SafeString:
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
        "publisher": {"@type": "Organization", "name": publisher},
        "isAccessibleForFree": is_free_to_all(article),
    }
    if article.agency_id:
        data["author"] = {"@type": "Organization", "name": article.agency.name}  # type: ignore[union-attr]
    else:
        data["author"] = [{"@type": "Person", "name": a.name} for a in article.authors.all()]
    if not data["isAccessibleForFree"]:
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": LOCKED_SELECTOR,
        }
    text = json.dumps(data, ensure_ascii=False)
    # Inside <script>, "</" must not appear literally.
    return mark_safe(text.replace("</", "<\\/"))  # noqa: S308 - JSON, "</" escaped
