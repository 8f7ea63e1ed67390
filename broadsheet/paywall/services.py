"""Gather the facts for one article request, decide, and count the view.

This is the only module that turns a request into a paywall decision: every
surface that shows paid value asks here (STYLE habit 4).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from broadsheet.core import clock
from broadsheet.core.periods import meter_period
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.selectors import PublicationSettings, publication_get
from broadsheet.paywall import access
from broadsheet.paywall.meter import get_store
from broadsheet.paywall.readers import Reader, anonymous_id_from_cookie, anonymous_key_issue, reader_for_request

PREMIUM_BENEFIT = "premium"


def article_facts(article: Article) -> access.ArticleFacts:
    """The paywall's view of an article: its access level and the benefit that opens it."""
    agency = article.agency if article.agency_id else None
    section_benefit = article.section.required_benefit
    if section_benefit is not None:
        # A premium section locks every story in it to holders of its benefit.
        return access.ArticleFacts(access=access.Access.PREMIUM, benefit=section_benefit.code)
    level = access.Access(article.access)
    return access.ArticleFacts(
        access=level,
        benefit=None if level is access.Access.FREE else PREMIUM_BENEFIT,
        meter_exempt=bool(agency and agency.meter_exempt),
    )


def is_free_to_all(article: Article) -> bool:
    """Open to every reader (no meter, no benefit): the only stories whose full text feeds may carry."""
    return article_facts(article).access is access.Access.FREE


def free_limit(publication: PublicationSettings, reader: Reader) -> int:
    if reader.facts.is_registered:
        return publication.registered_free_limit
    return publication.anonymous_free_limit


@dataclass(frozen=True, slots=True)
class ArticleAccess:
    decision: access.Decision
    reader: Reader
    publication: PublicationSettings


def article_access_decide(*, request: HttpRequest, article: Article) -> ArticleAccess:
    """Decide whether this request may read `article`, counting the view if it opens on the meter."""
    now = clock.now()
    publication = publication_get()
    reader = reader_for_request(request, at=now)
    decision = access.decide(article=article_facts(article), reader=reader.facts)
    if decision.outcome is access.Outcome.METER:
        store = get_store()
        period = meter_period(now, publication.time_zone)
        key = reader.key or anonymous_key_issue(request, store=store, period=period)
        result = store.consume(
            reader_key=key, period=period, article_id=article.pk, limit=free_limit(publication, reader)
        )
        decision = access.settle(decision, reader=reader.facts, meter=result, regwall=publication.registration_wall)
    return ArticleAccess(decision=decision, reader=reader, publication=publication)


def meter_merge_on_login(*, request: HttpRequest, user_id: int) -> None:
    """Carry the anonymous count of this browser into the account (never reset by registering)."""
    rid = anonymous_id_from_cookie(request)
    if not rid:
        return
    publication = publication_get()
    period = meter_period(clock.now(), publication.time_zone)
    get_store().merge(from_key=f"a:{rid}", into_key=f"u:{user_id}", period=period)
