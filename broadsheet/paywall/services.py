"""Gather the facts for one article request, decide, and count the view.

This is the only module that turns a request into a paywall decision: every
surface that shows paid value asks here (STYLE habit 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from broadsheet.billing.entitlements import benefits_for_network, benefits_of, benefits_until
from broadsheet.core import clock
from broadsheet.core.periods import meter_period, meter_period_end
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.selectors import PublicationSettings, publication_get
from broadsheet.paywall import access, conf
from broadsheet.paywall.identity import (
    Reader,
    anonymous_id_from_cookie,
    anonymous_key_issue,
    network_key,
    reader_for_request,
)
from broadsheet.paywall.meter import meter_store_get

# Text opened by an address's benefits (a campus network) may be kept this long off that network.
NETWORK_KEEP = timedelta(days=1)

PREMIUM_BENEFIT = "premium"


def article_facts(
    article: Article, *, at: datetime | None = None, publication: PublicationSettings | None = None
) -> access.ArticleFacts:
    """The paywall's view of an article at `at` (now by default): its access level, the benefit
    that opens it, and whether it has reached the archive (then the benefit is the archive's)."""
    at = at or clock.now()
    agency = article.agency if article.agency_id else None
    section_benefit = article.section.required_benefit
    archived = access.is_archived(published_at=article.published_at, at=at, age_days=conf.archive_age_days())
    benefit: str | None
    if section_benefit is not None:
        # A premium section locks every story in it to holders of its benefit.
        level, benefit = access.Access.PREMIUM, section_benefit.code
    else:
        level = access.Access(article.access)
        benefit = None if level is access.Access.FREE else PREMIUM_BENEFIT
    if archived and level is not access.Access.FREE:
        benefit = access.ARCHIVE_BENEFIT
    return access.ArticleFacts(
        access=level,
        benefit=benefit,
        meter_exempt=bool(agency and agency.meter_exempt),
        archived=archived and level is not access.Access.FREE,
        archive_on_meter=(publication or publication_get()).archive_on_meter,
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
    decision = access.decide(article=article_facts(article, at=now, publication=publication), reader=reader.facts)
    if decision.outcome is access.Outcome.METER:
        result = _meter_consume(request, reader=reader, publication=publication, article_id=article.pk, at=now)
        decision = access.settle(decision, reader=reader.facts, meter=result, regwall=publication.registration_wall)
    return ArticleAccess(decision=decision, reader=reader, publication=publication)


def _meter_consume(
    request: HttpRequest, *, reader: Reader, publication: PublicationSettings, article_id: int, at: datetime
) -> access.MeterResult:
    """The one atomic meter operation: the reader's own count and, for an anonymous reader, the network's."""
    period = meter_period(at, publication.time_zone)
    limit = free_limit(publication, reader)
    key = reader.key or anonymous_key_issue(request)
    if reader.facts.is_registered:
        return meter_store_get().consume(reader_key=key, period=period, article_id=article_id, limit=limit)
    return meter_store_get().consume(
        reader_key=key,
        period=period,
        article_id=article_id,
        limit=limit,
        network_key=network_key(request, period),
        network_limit=access.network_ceiling(free_limit=limit, multiple=conf.network_multiple()),
    )


def keep_until(*, result: ArticleAccess, article: Article, at: datetime) -> datetime | None:
    """Until when a reader's device may keep the text this decision opened (offline reading):
    None for text open to everyone for good; the end of the meter period for a metered view;
    the end of the benefit for a subscriber. Only meaningful for an open decision."""
    reason = result.decision.reason
    if reason in (access.Reason.UNDER_LIMIT, access.Reason.ALREADY_COUNTED):
        return meter_period_end(at, result.publication.time_zone)
    if reason is not access.Reason.ENTITLED:
        return None
    benefit = article_facts(article).benefit
    own = benefits_until(user_id=result.reader.user_id, at=at) if result.reader.user_id else {}
    return own.get(benefit or "") or at + NETWORK_KEEP


@dataclass(frozen=True, slots=True)
class MeterStatus:
    applies: bool  # False for a reader whose benefits skip the meter (a subscriber, staff)
    used: int
    limit: int
    period: str  # "YYYY-MM" in the publication's time zone
    resets_at: datetime


def meter_status(*, request: HttpRequest) -> MeterStatus:
    """The meter of whoever is asking, as the article pages count it (never counts anything)."""
    now = clock.now()
    publication = publication_get()
    reader = reader_for_request(request, at=now)
    period = meter_period(now, publication.time_zone)
    # A reader we have not met yet (no cookie) has read nothing this period.
    used = meter_store_get().usage(reader_key=reader.key, period=period) if reader.key else 0
    return MeterStatus(
        applies=not (reader.facts.is_staff or PREMIUM_BENEFIT in reader.facts.benefits),
        used=used,
        limit=free_limit(publication, reader),
        period=period,
        resets_at=meter_period_end(now, publication.time_zone),
    )


def meter_merge_on_login(*, request: HttpRequest, user_id: int) -> None:
    """Carry the anonymous count of this browser into the account (never reset by registering)."""
    rid = anonymous_id_from_cookie(request)
    if not rid:
        return
    publication = publication_get()
    period = meter_period(clock.now(), publication.time_zone)
    meter_store_get().merge(from_key=f"a:{rid}", into_key=f"u:{user_id}", period=period)


@dataclass(frozen=True, slots=True)
class BenefitAccess:
    decision: access.Decision
    reader: Reader


def benefit_access_decide(*, request: HttpRequest, benefit: str) -> BenefitAccess:
    """May this request use `benefit` (e.g. the e-paper) now? Asked afresh on every request."""
    reader = reader_for_request(request, at=clock.now())
    return BenefitAccess(decision=access.decide_benefit(benefit=benefit, reader=reader.facts), reader=reader)


def benefit_access_for_user(*, user_id: int, benefit: str, ip: str | None) -> access.Decision:
    """May this reader use `benefit` now? For a signed link that names its reader (an app's
    image or PDF link, fetched without the app's token): their own benefits at this moment,
    plus those of the network the link is opened from. A closed account holds nothing."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).only("is_staff").first()
    if user is None:
        nobody = access.ReaderFacts(is_staff=False, is_registered=False, benefits=frozenset())
        return access.decide_benefit(benefit=benefit, reader=nobody)
    at = clock.now()
    facts = access.ReaderFacts(
        is_staff=bool(user.is_staff),
        is_registered=True,
        benefits=benefits_of(user_id=user_id, at=at) | benefits_for_network(ip=ip, at=at),
    )
    return access.decide_benefit(benefit=benefit, reader=facts)


# --- channels that cannot count a view: newsletters and their web views ----------------------


def recipient_facts(*, registered: bool, benefits: frozenset[str]) -> access.ReaderFacts:
    """A mail recipient as the paywall sees them: never staff, never a crawler."""
    return access.ReaderFacts(is_staff=False, is_registered=registered, benefits=benefits)


def request_facts_unmetered(request: HttpRequest) -> access.ReaderFacts:
    """The reader of a newsletter's web view: their own facts, without the crawler exemption."""
    facts = reader_for_request(request, at=clock.now()).facts
    return access.ReaderFacts(is_staff=facts.is_staff, is_registered=facts.is_registered, benefits=facts.benefits)


def article_access_unmetered(*, article: Article, reader: access.ReaderFacts) -> access.Decision:
    """Rules 1 to 5 for a surface that cannot count a view (an e-mail, a newsletter's web view).

    A metered story stays `Outcome.METER`, which is not open: it is shown as a
    teaser with a link, and the meter counts the reader when they follow it.
    """
    return access.decide(article=article_facts(article), reader=reader)
