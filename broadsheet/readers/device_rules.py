"""The device rules on plain data: which devices a new sign-in pushes out, and
when an account looks shared. No Django, no clock: callers pass `now`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

EVICT_OLDEST = "evict_oldest"
ASK = "ask"
POLICIES = (EVICT_OLDEST, ASK)
UNKNOWN_NETWORK = "unknown"


@dataclass(frozen=True, slots=True)
class DeviceSeen:
    id: int
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class Sighting:
    network: str
    seen_at: datetime


@dataclass(frozen=True, slots=True)
class SharingVerdict:
    flagged: bool
    networks: int  # the most distinct networks seen within one window
    window_start: datetime | None
    window_end: datetime | None


def effective_limit(limit: int) -> int:
    """A plan can never allow fewer than one device: the one signing in."""
    return max(1, limit)


def devices_to_evict(devices: Sequence[DeviceSeen], *, limit: int, keep: int) -> list[int]:
    """The ids to sign out so at most `limit` devices stay signed in, least recently used first.

    `devices` are the signed-in devices including the new one (`keep`), which is never chosen.
    """
    excess = len(devices) - effective_limit(limit)
    if excess <= 0:
        return []
    others = sorted((d for d in devices if d.id != keep), key=lambda d: (d.last_seen, d.id))
    return [d.id for d in others[:excess]]


def over_limit(active: int, *, limit: int) -> bool:
    """With `active` devices signed in (the new one included), is the reader over the limit?"""
    return active > effective_limit(limit)


def sharing_verdict(sightings: Iterable[Sighting], *, window: timedelta, threshold: int) -> SharingVerdict:
    """Flag when some window of length `window` holds sightings from `threshold` or more networks.

    A sliding window over the sightings in time order; unknown networks do not count.
    """
    ordered = sorted((s for s in sightings if s.network != UNKNOWN_NETWORK), key=lambda s: s.seen_at)
    counts: Counter[str] = Counter()
    best = 0
    best_span: tuple[datetime | None, datetime | None] = (None, None)
    start = 0
    for end, sighting in enumerate(ordered):
        counts[sighting.network] += 1
        while sighting.seen_at - ordered[start].seen_at > window:
            gone = ordered[start].network
            counts[gone] -= 1
            if counts[gone] == 0:
                del counts[gone]
            start += 1
        if len(counts) > best:
            best = len(counts)
            best_span = (ordered[start].seen_at, ordered[end].seen_at)
    return SharingVerdict(
        flagged=best >= threshold > 0, networks=best, window_start=best_span[0], window_end=best_span[1]
    )


def token_expires_at(*, created_at: datetime, last_used_at: datetime, idle: timedelta, lifetime: timedelta) -> datetime:
    """When an app token stops working: after `idle` without use, and never later than `lifetime`
    after it was issued (the reader signs in again then)."""
    return min(last_used_at + idle, created_at + lifetime)


def touch_due(last_touch: float | None, *, now: float, interval: float) -> bool:
    """Is the device's last-seen time stale enough to write again? (Timestamps in seconds.)"""
    return last_touch is None or now - last_touch >= interval


def password_given_recently(given_at: Iterable[float], *, now: float, window: float) -> bool:
    """Signing other devices out asks for the password again unless it was given (to log in, or
    to confirm) within `window` seconds: an unattended signed-in browser cannot lock the owner out."""
    return any(0 <= now - at < window for at in given_at)
