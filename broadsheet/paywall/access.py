"""The paywall's decision, as a pure function.

Facts in, a Decision out: no Django, no database, no clock. The order of the
rules is the one in PRODUCT.md and is the whole policy:

1. staff previewing              → open
2. free article                  → open
3. reader holds the benefit      → open
4. verified search crawler       → open (marked as not free in JSON-LD)
5. premium article               → paywall
6. metered article               → ask the meter; open if already counted or
                                   under the limit, else registration wall or
                                   paywall

Step 6 needs one atomic operation on the meter store, which is not pure. So
`decide` returns `Outcome.METER` for it, the caller performs the atomic
operation, and `settle` turns its result into the final Decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    access: Access
    # The benefit that opens the article without the meter: "premium" for premium
    # and metered stories (a subscriber is never metered), a section's own benefit
    # for a premium section. None for a free article.
    benefit: str | None
    meter_exempt: bool = False  # a per-source rule lets it skip the meter


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


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    reason: Reason
    count_this_view: bool = False
    limit: int | None = None
    used: int | None = None

    @property
    def is_open(self) -> bool:
        return self.outcome is Outcome.OPEN

    @property
    def remaining(self) -> int | None:
        if self.limit is None or self.used is None:
            return None
        return max(self.limit - self.used, 0)


def decide(*, article: ArticleFacts, reader: ReaderFacts) -> Decision:
    """Apply rules 1 to 5; for a metered article not otherwise open, ask for the meter."""
    if reader.is_staff:
        return Decision(Outcome.OPEN, Reason.STAFF)
    if article.access is Access.FREE:
        return Decision(Outcome.OPEN, Reason.FREE)
    if article.benefit is not None and article.benefit in reader.benefits:
        return Decision(Outcome.OPEN, Reason.ENTITLED)
    if reader.verified_crawler:
        return Decision(Outcome.OPEN, Reason.CRAWLER)
    if article.access is Access.PREMIUM:
        return Decision(Outcome.PAYWALL, Reason.PREMIUM)
    if article.meter_exempt:
        return Decision(Outcome.OPEN, Reason.EXEMPT)
    return Decision(Outcome.METER, Reason.NEEDS_METER, count_this_view=True)


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
        )
    outcome = Outcome.REGWALL if regwall and not reader.is_registered else Outcome.PAYWALL
    return Decision(outcome, Reason.LIMIT_REACHED, limit=meter.limit, used=meter.used)


def consume(*, limit: int, counted: frozenset[str] | set[str], article_key: str) -> MeterResult:
    """The meter's rule on plain data: what every store implements atomically.

    Stores must give the same answer as this function for the same state; the
    property tests hold them to it.
    """
    if article_key in counted:
        return MeterResult(limit=limit, used=len(counted), already_counted=True, granted=True)
    if len(counted) < limit:
        return MeterResult(limit=limit, used=len(counted) + 1, already_counted=False, granted=True)
    return MeterResult(limit=limit, used=len(counted), already_counted=False, granted=False)
