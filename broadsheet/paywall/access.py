"""The paywall's decision, as a pure function.

Facts in, a Decision out: no Django, no database, no clock. The order of the
rules is the one in PRODUCT.md and is the whole policy:

1. staff previewing              → open
2. free article                  → open
3. reader holds the benefit      → open (an archived story's benefit is `archive`)
4. verified search crawler       → open (marked as not free in JSON-LD)
5. archived story                → paywall naming the archive, unless the
                                   publisher lets archived metered stories
                                   run on the meter
6. premium article               → paywall
7. metered article               → ask the meter; open if already counted or
                                   under the limit, else registration wall or
                                   paywall

A story is archived once it is older than the archive age (`is_archived`); the
caller says so in ArticleFacts, with the clock reading it took.

Step 7 needs one atomic operation on the meter store, which is not pure. So
`decide` returns `Outcome.METER` for it, the caller performs the atomic
operation, and `settle` turns its result into the final Decision.

Anonymous readers are also held to a ceiling per network (docs/adr/0002): all
anonymous views from one network block, browser build and language in a month
count towards a multiple of the free limit, so clearing cookies buys at most
that, while a newcomer on a shared address still starts with a full allowance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# The benefit that opens every story older than the archive age.
ARCHIVE_BENEFIT = "archive"


class Access(StrEnum):
    FREE = "free"
    METERED = "metered"
    PREMIUM = "premium"


class Outcome(StrEnum):
    OPEN = "open"
    METER = "meter"  # not final: settle() with the meter's answer
    PAYWALL = "paywall"
    REGWALL = "regwall"


class Reason(StrEnum):
    STAFF = "staff"
    FREE = "free"
    ENTITLED = "entitled"
    CRAWLER = "crawler"
    EXEMPT = "exempt"  # e.g. wire copy exempted from the meter
    PREMIUM = "premium"
    NEEDS_METER = "needs_meter"
    ALREADY_COUNTED = "already_counted"
    UNDER_LIMIT = "under_limit"
    LIMIT_REACHED = "limit_reached"
    NEEDS_BENEFIT = "needs_benefit"  # a benefit of its own (the e-paper): no meter, no crawler pass
    NETWORK_LIMIT = "network_limit"  # the anonymous ceiling of the reader's network is spent
    ARCHIVE = "archive"  # older than the archive age: open to holders of the archive benefit


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    access: Access
    # The benefit that opens the article without the meter: "premium" for premium
    # and metered stories (a subscriber is never metered), a section's own benefit
    # for a premium section. None for a free article.
    benefit: str | None
    meter_exempt: bool = False  # a per-source rule lets it skip the meter
    # Older than the archive age: `benefit` is then ARCHIVE_BENEFIT, whatever the access level.
    archived: bool = False
    # The publisher's choice: an archived metered story may be read on the meter by readers
    # without the archive benefit (counted like any other), instead of being locked to them.
    archive_on_meter: bool = False


@dataclass(frozen=True, slots=True)
class ReaderFacts:
    is_staff: bool
    is_registered: bool
    benefits: frozenset[str]
    verified_crawler: bool = False


@dataclass(frozen=True, slots=True)
class MeterResult:
    """What the meter store answered for one attempt to count a view."""

    limit: int
    used: int  # distinct articles counted this period, after the attempt
    already_counted: bool  # this article was counted before: re-reading is free
    granted: bool  # the view is open under the meter (already counted or newly counted)
    network_full: bool = False  # refused because the network's anonymous ceiling is spent, not the reader's own


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    reason: Reason
    count_this_view: bool = False
    limit: int | None = None
    used: int | None = None
    archived: bool = False  # the story is from the archive: a blocked view's offer names it

    @property
    def is_open(self) -> bool:
        return self.outcome is Outcome.OPEN

    @property
    def remaining(self) -> int | None:
        if self.limit is None or self.used is None:
            return None
        return max(self.limit - self.used, 0)


def is_archived(*, published_at: datetime | None, at: datetime, age_days: int) -> bool:
    """Whether a story published at `published_at` is in the archive at `at` (an age of 0 or less: never)."""
    if age_days <= 0 or published_at is None:
        return False
    return published_at < at - timedelta(days=age_days)


def decide(*, article: ArticleFacts, reader: ReaderFacts) -> Decision:
    """Apply rules 1 to 6; for a metered article not otherwise open, ask for the meter."""
    if reader.is_staff:
        return Decision(Outcome.OPEN, Reason.STAFF)
    if article.access is Access.FREE:
        return Decision(Outcome.OPEN, Reason.FREE)
    if article.benefit is not None and article.benefit in reader.benefits:
        return Decision(Outcome.OPEN, Reason.ENTITLED)
    if reader.verified_crawler:
        return Decision(Outcome.OPEN, Reason.CRAWLER)
    if article.archived and not (article.archive_on_meter and article.access is Access.METERED):
        return Decision(Outcome.PAYWALL, Reason.ARCHIVE, archived=True)
    if article.access is Access.PREMIUM:
        return Decision(Outcome.PAYWALL, Reason.PREMIUM)
    if article.meter_exempt:
        return Decision(Outcome.OPEN, Reason.EXEMPT, archived=article.archived)
    return Decision(Outcome.METER, Reason.NEEDS_METER, count_this_view=True, archived=article.archived)


def decide_benefit(*, benefit: str, reader: ReaderFacts) -> Decision:
    """Access to a benefit that is not an article (e-paper pages, files): staff or holders only.

    Unlike articles there is no meter and no crawler pass: a page image or PDF
    is the paid product itself, never a teaser for search engines.
    """
    if reader.is_staff:
        return Decision(Outcome.OPEN, Reason.STAFF)
    if benefit in reader.benefits:
        return Decision(Outcome.OPEN, Reason.ENTITLED)
    return Decision(Outcome.PAYWALL, Reason.NEEDS_BENEFIT)


def settle(decision: Decision, *, reader: ReaderFacts, meter: MeterResult, regwall: bool) -> Decision:
    """Turn a METER decision into a final one, given the meter store's answer."""
    if decision.outcome is not Outcome.METER:
        return decision
    if meter.granted:
        reason = Reason.ALREADY_COUNTED if meter.already_counted else Reason.UNDER_LIMIT
        return Decision(
            Outcome.OPEN,
            reason,
            count_this_view=not meter.already_counted,
            limit=meter.limit,
            used=meter.used,
            archived=decision.archived,
        )
    if meter.network_full and not reader.is_registered:
        # Not this reader's own count: an account gives them a meter of their own.
        return Decision(
            Outcome.REGWALL, Reason.NETWORK_LIMIT, limit=meter.limit, used=meter.used, archived=decision.archived
        )
    outcome = Outcome.REGWALL if regwall and not reader.is_registered else Outcome.PAYWALL
    return Decision(outcome, Reason.LIMIT_REACHED, limit=meter.limit, used=meter.used, archived=decision.archived)


def network_ceiling(*, free_limit: int, multiple: int) -> int:
    """Anonymous views a month one network block, browser build and language may open between them."""
    return max(free_limit * multiple, free_limit)


def consume(
    *,
    limit: int,
    counted: frozenset[str] | set[str],
    article_key: str,
    network_used: int | None = None,
    network_limit: int | None = None,
) -> MeterResult:
    """The meter's rule on plain data: what every store implements atomically.

    A re-read is free and charges nothing. A new article opens when the reader is
    under their limit and, for an anonymous reader (`network_used` given), their
    network is under its ceiling; it then counts once for each. Stores must give
    the same answer as this function for the same state; the property tests hold
    them to it.
    """
    if article_key in counted:
        return MeterResult(limit=limit, used=len(counted), already_counted=True, granted=True)
    if len(counted) >= limit:
        return MeterResult(limit=limit, used=len(counted), already_counted=False, granted=False)
    if network_used is not None and network_limit is not None and network_used >= network_limit:
        return MeterResult(limit=limit, used=len(counted), already_counted=False, granted=False, network_full=True)
    return MeterResult(limit=limit, used=len(counted) + 1, already_counted=False, granted=True)
