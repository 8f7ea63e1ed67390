"""What a reader holds now: the one place the paywall asks about benefits.

A reader's benefits come from their own subscriptions (bought, gifted or granted)
and from organisation seats; a request's address may add an organisation
network's benefits (`benefits_for_network`), which belong to the request, not
to the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from broadsheet.billing.groups.services import (
    network_benefits,
    organisation_benefits_for_user,
    organisation_benefits_for_users,
    organisation_benefits_until,
)
from broadsheet.billing.models import Subscription
from broadsheet.core.generations import GenerationCache


@dataclass(frozen=True, slots=True)
class _Held:
    codes: frozenset[str]
    loaded_at: datetime
    valid_until: datetime | None  # the next period start or end: the answer may change then
    until: tuple[tuple[str, datetime], ...] = ()  # each code held, and the latest end of a plan granting it

    def covers(self, at: datetime) -> bool:
        return self.loaded_at <= at and (self.valid_until is None or at < self.valid_until)


# Per process; emptied whenever any subscription is written (generation "subscriptions").
_held: GenerationCache[_Held] = GenerationCache("subscriptions", maxsize=50_000)


def _load(user_id: int, at: datetime) -> _Held:
    # access_from and access_until are the lifecycle's answer, kept on the row by billing.services (None: no
    # access). Paid access is continuous: an early renewal does not wait for its period to start.
    rows = Subscription.objects.filter(user_id=user_id, access_until__gt=at).values_list(
        "access_from", "access_until", "plan__benefits__code"
    )
    codes: dict[str, datetime] = {}
    boundaries: list[datetime] = []
    for start, end, code in rows:
        if end is None or start is None:
            continue
        if start <= at < end:
            if code:
                codes[code] = max(codes.get(code, end), end)
            boundaries.append(end)
        elif at < start:
            boundaries.append(start)
    return _Held(frozenset(codes), at, min(boundaries) if boundaries else None, tuple(codes.items()))


def benefits_of(*, user_id: int, at: datetime) -> frozenset[str]:
    """Every benefit the reader holds at `at`, from their subscriptions and organisation seats.

    Cached until the answer can change (a period ending or starting) or any
    subscription, seat or organisation is written.
    """
    held = _held_at(user_id, at)
    seats = organisation_benefits_for_user(user_id=user_id, at=at)
    return held.codes | seats if seats else held.codes


def _held_at(user_id: int, at: datetime) -> _Held:
    held = _held.get(user_id, lambda: _load(user_id, at))
    if not held.covers(at):
        held = _load(user_id, at)
        _held.put(user_id, held)
    return held


def benefits_until(*, user_id: int, at: datetime) -> dict[str, datetime]:
    """Each benefit the reader holds at `at` through their own subscriptions and seats, and the
    latest moment one of those ends (a renewal moves it on). Cached as `benefits_of` is."""
    until = organisation_benefits_until(user_id=user_id, at=at)
    for code, end in _held_at(user_id, at).until:
        until[code] = max(until.get(code, end), end)
    return until


def benefits_of_many(*, user_ids: list[int], at: datetime) -> dict[int, frozenset[str]]:
    """`benefits_of` for many readers at once, in a few queries (a newsletter batch); every id gets an answer."""
    held: dict[int, set[str]] = {uid: set() for uid in user_ids}
    rows = Subscription.objects.filter(
        user_id__in=user_ids, access_until__gt=at, access_from__lte=at, plan__benefits__code__isnull=False
    ).values_list("user_id", "plan__benefits__code")
    for user_id, code in rows:
        held[user_id].add(code)
    for user_id, codes in organisation_benefits_for_users(user_ids=user_ids, at=at).items():
        held[user_id] |= codes
    return {uid: frozenset(codes) for uid, codes in held.items()}


def benefits_for_network(*, ip: str | None, at: datetime) -> frozenset[str]:
    """The benefits anyone reading from address `ip` holds, through an organisation's IP ranges."""
    return network_benefits(ip=ip, at=at)


def holds_benefit(*, user_id: int | None, benefit: str, at: datetime) -> bool:
    """Does this reader hold benefit `benefit` now? Anonymous readers hold none."""
    if user_id is None:
        return False
    return benefit in benefits_of(user_id=user_id, at=at)


def plan_device_limit(*, user_id: int, at: datetime) -> int | None:
    """The most devices any plan the reader holds now allows; None without a plan (readers then
    applies the site default). Registered with readers.devices at start-up."""
    best = Subscription.objects.filter(user_id=user_id, access_from__lte=at, access_until__gt=at).aggregate(
        n=Max("plan__max_devices")
    )["n"]
    return None if best is None else int(best)
