"""What a reader holds now: the one place the paywall asks about benefits.

A reader's benefits come from their own subscriptions (bought, gifted or granted)
and from organisation seats; a request's address may add an organisation
network's benefits (`benefits_for_network`), which belong to the request, not
to the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from broadsheet.billing.groups import network_benefits, organisation_benefits_for_user
from broadsheet.billing.models import Subscription
from broadsheet.core.generations import GenerationCache


@dataclass(frozen=True, slots=True)
class _Held:
    codes: frozenset[str]
    loaded_at: datetime
    valid_until: datetime | None  # the next period start or end: the answer may change then

    def covers(self, at: datetime) -> bool:
        return self.loaded_at <= at and (self.valid_until is None or at < self.valid_until)


# Per process; emptied whenever any subscription is written (generation "subscriptions").
_held: GenerationCache[_Held] = GenerationCache("subscriptions", maxsize=50_000)


def _load(user_id: int, at: datetime) -> _Held:
    # access_until is the lifecycle's answer, kept on the row by billing.services (None: no access).
    rows = Subscription.objects.filter(user_id=user_id, access_until__gt=at).values_list(
        "current_period_start", "access_until", "plan__benefits__code"
    )
    codes: set[str] = set()
    boundaries: list[datetime] = []
    for start, end, code in rows:
        if end is None:
            continue
        if start <= at < end:
            if code:
                codes.add(code)
            boundaries.append(end)
        elif at < start:
            boundaries.append(start)
    return _Held(frozenset(codes), at, min(boundaries) if boundaries else None)


def benefits_of(*, user_id: int, at: datetime) -> frozenset[str]:
    """Every benefit the reader holds at `at`, from their subscriptions and organisation seats.

    Cached until the answer can change (a period ending or starting) or any
    subscription, seat or organisation is written.
    """
    held = _held.get(user_id, lambda: _load(user_id, at))
    if not held.covers(at):
        held = _load(user_id, at)
        _held.put(user_id, held)
    seats = organisation_benefits_for_user(user_id=user_id, at=at)
    return held.codes | seats if seats else held.codes


def benefits_for_network(*, ip: str | None, at: datetime) -> frozenset[str]:
    """The benefits anyone reading from address `ip` holds, through an organisation's IP ranges."""
    return network_benefits(ip=ip, at=at)


def holds_benefit(*, user_id: int | None, benefit: str, at: datetime) -> bool:
    """Does this reader hold benefit `benefit` now? Anonymous readers hold none."""
    if user_id is None:
        return False
    return benefit in benefits_of(user_id=user_id, at=at)
