"""What a reader holds now: the one place the paywall asks about benefits."""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache

from broadsheet.billing.models import Subscription

ENTITLED_STATUSES = (Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE)
CACHE_SECONDS = 300


def _cache_key(user_id: int) -> str:
    return f"benefits:{user_id}"


def benefits_of(*, user_id: int, at: datetime) -> frozenset[str]:
    """Every benefit the reader holds at `at`, from their subscription records.

    Cached per reader together with the earliest moment the answer can change
    (a period ending or starting), and dropped by `benefits_forget` whenever a
    subscription is written.
    """
    cached = cache.get(_cache_key(user_id))
    if cached is not None:
        codes, valid_until = cached
        if valid_until is None or at < valid_until:
            return frozenset(codes)
    rows = list(
        Subscription.objects.filter(user_id=user_id, status__in=ENTITLED_STATUSES).values_list(
            "current_period_start", "current_period_end", "plan__benefits__code"
        )
    )
    codes_now: set[str] = set()
    boundaries: list[datetime] = []
    for start, end, code in rows:
        if start <= at < end:
            if code:
                codes_now.add(code)
            boundaries.append(end)
        elif at < start:
            boundaries.append(start)
    valid_until = min(boundaries) if boundaries else None
    cache.set(_cache_key(user_id), (sorted(codes_now), valid_until), CACHE_SECONDS)
    return frozenset(codes_now)


def holds_benefit(*, user_id: int | None, benefit: str, at: datetime) -> bool:
    """Does this reader hold benefit `benefit` now? Anonymous readers hold none."""
    if user_id is None:
        return False
    return benefit in benefits_of(user_id=user_id, at=at)


def benefits_forget(*, user_id: int) -> None:
    """Drop the cached answer; call after any change to the reader's subscriptions."""
    cache.delete(_cache_key(user_id))
