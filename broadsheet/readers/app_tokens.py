"""App sign-in: a bearer token per app install, each one a device.

Only the token's SHA-256 is stored. A token expires after BROADSHEET_APP_TOKEN_IDLE_DAYS
without use and BROADSHEET_APP_TOKEN_MAX_DAYS after sign-in at the latest; an expired
token's device is signed out (reason "token expired") on its next use. A request with `Authorization: Bearer <token>`
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
from datetime import UTC, datetime

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from broadsheet.core import clock, generations
from broadsheet.core.addresses import client_ip
from broadsheet.core.generations import GenerationCache
from broadsheet.readers import conf, devices
from broadsheet.readers import device_rules as rules
from broadsheet.readers.models import Device

TOKEN_PREFIX = "bst_"  # noqa: S105 - a visible marker, not a secret


@dataclass(frozen=True, slots=True)
class TokenHolder:
    user_id: int
    device_id: int
    token_hash: str
    touched: float  # epoch seconds of the last last-seen write
    created: float  # epoch seconds of the sign-in

    def expires_at(self) -> datetime:
        return rules.token_expires_at(
            created_at=datetime.fromtimestamp(self.created, UTC),
            last_used_at=datetime.fromtimestamp(self.touched, UTC),
            idle=conf.token_idle(),
            lifetime=conf.token_lifetime(),
        )


class SignInRefused(Exception):
    """Wrong credentials ("invalid_credentials"), too many attempts ("too_many_attempts"), an
    address that must be verified first ("email_unverified"), or no client address ("bad_request")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class DeviceLimitReached(Exception):
    """The "ask" policy: the app must name a device to replace."""

    def __init__(self, signed_in: list[Device]) -> None:
        super().__init__("device limit reached")
        self.signed_in = signed_in


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Without Redis: the tokens this process has seen, dropped whenever any device is signed out.
_local: GenerationCache[TokenHolder] = GenerationCache("devices", maxsize=50_000)


def _recall(digest: str) -> TokenHolder | None:
    if settings.REDIS_URL:
        held: TokenHolder | None = cache.get(devices.TOKEN_CACHE_PREFIX + digest)
        return held
    return _local.peek(digest)


def _remember(holder: TokenHolder) -> None:
    if settings.REDIS_URL:
        cache.set(devices.TOKEN_CACHE_PREFIX + holder.token_hash, holder, conf.token_cache_seconds())
    else:
        _local.put(holder.token_hash, holder)


def token_issue(*, user_id: int, user_agent: str, ip: str | None, replace_id: int | None = None) -> tuple[str, Device]:
    """A new app device and its token (returned once, never stored)."""
    at = clock.now()
    if replace_id is not None:
        devices.device_revoke_for_user(
            user_id=user_id, device_id=replace_id, reason=devices.Reason.REPLACED, actor_id=user_id, at=at
        )
    if conf.policy() == rules.ASK:
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


def app_sign_in(
    request: HttpRequest, *, email: str, password: str, replace_id: int | None = None
) -> tuple[str, Device]:
    """Check e-mail and password exactly as the web's log-in form does (allauth's adapter, so the
    same failed-attempt limits per address and per account count web and app attempts together),
    then issue a token. Raises SignInRefused or DeviceLimitReached."""
    email = email.strip().lower()
    if not email or not password:
        raise SignInRefused("invalid_credentials")
    try:
        user = get_adapter(request).authenticate(request, email=email, password=password)
    except ValidationError as exc:
        raise SignInRefused("too_many_attempts") from exc
    except PermissionDenied as exc:  # allauth's limits need the client's address, and found none
        raise SignInRefused("bad_request") from exc
    if user is None or not user.is_active:
        raise SignInRefused("invalid_credentials")
    if (
        settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
        and not EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()
    ):
        raise SignInRefused("email_unverified")
    return token_issue(
        user_id=int(user.pk),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ip=client_ip(request),
        replace_id=replace_id,
    )


def token_rotate(*, device_id: int, user_id: int) -> str | None:
    """A fresh token for an app device that is still signed in (the old one stops at once);
    None if the device is gone. A retried sign-in gets this instead of a second device."""
    new = TOKEN_PREFIX + secrets.token_urlsafe(32)
    device = Device.objects.filter(pk=device_id, user_id=user_id, kind=Device.Kind.APP, revoked_at__isnull=True).first()
    if device is None:
        return None
    old = device.token_hash
    if not Device.objects.filter(pk=device_id, token_hash=old, revoked_at__isnull=True).update(
        token_hash=token_hash(new)
    ):
        return None
    cache.delete(devices.TOKEN_CACHE_PREFIX + old)
    generations.bump("devices")
    return new


def token_lookup(token: str) -> TokenHolder | None:
    """The reader a token signs in, or None (unknown, signed out or expired)."""
    digest = token_hash(token)
    holder = _recall(digest)
    if holder is None:
        row = (
            Device.objects.filter(
                token_hash=digest, kind=Device.Kind.APP, revoked_at__isnull=True, user__is_active=True
            )
            .values_list("pk", "user_id", "last_seen_at", "created_at")
            .first()
        )
        if row is None:
            return None
        holder = TokenHolder(row[1], row[0], digest, touched=row[2].timestamp(), created=row[3].timestamp())
        _remember(holder)
    if holder.expires_at() <= clock.now():
        device = Device.objects.filter(pk=holder.device_id).first()
        if device is not None:
            devices.device_revoke(device=device, reason=devices.Reason.TOKEN_EXPIRED, actor_id=None, at=clock.now())
        cache.delete(devices.TOKEN_CACHE_PREFIX + digest)
        return None
    return holder


def token_refusal(token: str) -> str:
    """Why a token signs nobody in: "token_expired", "token_revoked" (signed out, here or on another
    device, or the account closed) or "token_invalid" (never issued). For the app's message only."""
    row = Device.objects.filter(token_hash=token_hash(token), kind=Device.Kind.APP).values_list(
        "revoked_reason", flat=True
    )
    reason = row.first()
    if reason is None:
        return "token_invalid"
    return "token_expired" if reason == devices.Reason.TOKEN_EXPIRED else "token_revoked"


def token_touch(holder: TokenHolder, *, ip: str | None) -> None:
    now = time.time()
    if rules.touch_due(holder.touched, now=now, interval=conf.touch_interval()):
        devices.device_touch(device_id=holder.device_id, ip=ip, at=clock.now())
        _remember(TokenHolder(holder.user_id, holder.device_id, holder.token_hash, now, holder.created))
