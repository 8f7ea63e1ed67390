"""App sign-in: a bearer token per app install, each one a device.

Only the token's SHA-256 is stored. A request with `Authorization: Bearer <token>`
is looked up by that hash through the cache (one lookup); signing the device out
drops the cached entry. Without Redis the cache is per process, so entries live
only briefly there: another worker stops honouring a revoked token within
`BROADSHEET_APP_TOKEN_CACHE_SECONDS` (30 s by default without Redis).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from broadsheet.core import clock
from broadsheet.readers import device_rules as rules
from broadsheet.readers import devices
from broadsheet.readers.models import Device

TOKEN_PREFIX = "bst_"  # noqa: S105 - a visible marker, not a secret


@dataclass(frozen=True, slots=True)
class TokenHolder:
    user_id: int
    device_id: int
    token_hash: str
    touched: float  # epoch seconds of the last last-seen write


class DeviceLimitReached(Exception):
    """The "ask" policy: the app must name a device to replace."""

    def __init__(self, signed_in: list[Device]) -> None:
        super().__init__("device limit reached")
        self.signed_in = signed_in


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _cache_seconds() -> int:
    default = 300 if settings.REDIS_URL else 30
    return int(getattr(settings, "BROADSHEET_APP_TOKEN_CACHE_SECONDS", default))


def _remember(holder: TokenHolder) -> None:
    cache.set(devices.TOKEN_CACHE_PREFIX + holder.token_hash, holder, _cache_seconds())


def token_issue(*, user_id: int, user_agent: str, ip: str | None, replace_id: int | None = None) -> tuple[str, Device]:
    """A new app device and its token (returned once, never stored)."""
    at = clock.now()
    if replace_id is not None:
        devices.device_revoke_for_user(
            user_id=user_id, device_id=replace_id, reason=devices.Reason.REPLACED, actor_id=user_id, at=at
        )
    if devices.policy() == rules.ASK:
        signed_in = [d for d in devices.devices_signed_in(user_id=user_id) if not d.pending]
        if rules.over_limit(len(signed_in) + 1, limit=devices.max_devices_for(user_id=user_id, at=at)):
            raise DeviceLimitReached(signed_in)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    device = devices.device_register(
        user_id=user_id,
        kind=Device.Kind.APP,
        user_agent=user_agent,
        ip=ip,
        at=at,
        token_hash=token_hash(token),
        policy_override=rules.EVICT_OLDEST,
    )
    return token, device


def token_lookup(token: str) -> TokenHolder | None:
    """The reader a token signs in, or None (unknown or signed out)."""
    digest = token_hash(token)
    holder: TokenHolder | None = cache.get(devices.TOKEN_CACHE_PREFIX + digest)
    if holder is not None:
        return holder
    row = (
        Device.objects.filter(token_hash=digest, kind=Device.Kind.APP, revoked_at__isnull=True, user__is_active=True)
        .values_list("pk", "user_id", "last_seen_at")
        .first()
    )
    if row is None:
        return None
    holder = TokenHolder(user_id=row[1], device_id=row[0], token_hash=digest, touched=row[2].timestamp())
    _remember(holder)
    return holder


def token_touch(holder: TokenHolder, *, ip: str | None) -> None:
    now = time.time()
    if rules.touch_due(holder.touched, now=now, interval=devices.touch_interval()):
        devices.device_touch(device_id=holder.device_id, ip=ip, at=clock.now())
        _remember(TokenHolder(holder.user_id, holder.device_id, holder.token_hash, now))


def throttled(*, key: str, limit: int, seconds: int = 300) -> bool:
    """Count one attempt under `key`; True once more than `limit` were made within `seconds`."""
    full = f"bs:apptoken-throttle:{key}"
    cache.add(full, 0, seconds)
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.set(full, 1, seconds)
        count = 1
    return count > limit
