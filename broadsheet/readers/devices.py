"""Signed-in devices: every write goes through here.

A web device is a Django session; signing it out deletes the session, so its
next request is anonymous without any per-request device check. An app device
is a bearer token of which only the hash is stored; signing it out drops the
cached token. Every sign-out records when, why and by whom.
"""

from __future__ import annotations

import functools
from datetime import datetime
from importlib import import_module
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils.crypto import constant_time_compare

from broadsheet.core import clock, generations
from broadsheet.core.addresses import network_of
from broadsheet.readers import conf
from broadsheet.readers import device_rules as rules
from broadsheet.readers.models import Device, DeviceSighting, SharingFlag, User

TOKEN_CACHE_PREFIX = "bs:devtok:"  # noqa: S105 - a cache key prefix


class Reason:
    SIGNED_OUT = "signed out"  # the reader, on this or another device
    OTHERS = "signed out all others"
    LIMIT = "device limit"
    REPLACED = "replaced by a new sign-in"
    DECLINED = "new sign-in declined"
    PASSWORD = "password changed"  # noqa: S105 - a reason, not a secret
    STAFF = "signed out by staff"
    EXPIRED = "session ended"
    TOKEN_EXPIRED = "token expired"  # noqa: S105 - a reason, not a secret


def token_expiry(device: Device) -> datetime:
    """When this app device's token stops working unless it is used again."""
    return rules.token_expires_at(
        created_at=device.created_at,
        last_used_at=device.last_seen_at,
        idle=conf.token_idle(),
        lifetime=conf.token_lifetime(),
    )


# --- facts about a sign-in -----------------------------------------------------------------


@functools.lru_cache(maxsize=2048)
def device_name(user_agent: str) -> str:
    """'Chrome on Android', 'Safari on iPhone', 'Firefox on Windows' (ua-parser's regexes)."""
    from ua_parser import parse

    if not user_agent:
        return "Unknown device"
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    browser = browser.replace("Mobile Safari", "Safari").replace(" Mobile", "").replace("Other", "")
    if system == "iOS" and result.device and result.device.family in ("iPhone", "iPad"):
        system = result.device.family
    system = "" if system == "Other" else system
    if browser and system and browser != system:
        return f"{browser} on {system}"
    return browser or system or user_agent[:40]


_geo_readers: dict[str, Any] = {}


def place_for(ip: str | None) -> str:
    """'Pune, India' when a GeoIP2 city database is configured (settings.GEOIP_PATH) and geoip2 is
    installed; otherwise blank. Optional by design: geoip2 is not a dependency."""
    path = conf.geoip_path()
    if not path or not ip:
        return ""
    try:
        import geoip2.database  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return ""
    try:
        reader = _geo_readers.get(path)
        if reader is None:
            from pathlib import Path

            file = Path(path) / "GeoLite2-City.mmdb" if Path(path).is_dir() else Path(path)
            reader = _geo_readers[path] = geoip2.database.Reader(str(file))
        found = reader.city(ip)
    except Exception:  # an unknown or private address, or a broken database: no place
        return ""
    parts = [found.city.name, found.country.name]
    return ", ".join(p for p in parts if p)[:120]


class PlanDeviceLimit(Protocol):
    def __call__(self, *, user_id: int, at: datetime) -> int | None: ...


# The plans say how many devices a reader may sign in, and plans are billing's, a layer above
# readers: billing hands its answer in at start-up (BillingConfig.ready) rather than readers
# reaching up for it.
_plan_device_limit: PlanDeviceLimit | None = None


def plan_device_limit_set(source: PlanDeviceLimit) -> None:
    global _plan_device_limit
    _plan_device_limit = source


def max_devices_for(*, user_id: int, at: datetime) -> int:
    """The most devices any plan the reader holds now allows; the site default without a plan."""
    best = _plan_device_limit(user_id=user_id, at=at) if _plan_device_limit is not None else None
    if best is None:
        return conf.default_max_devices()
    return best


# --- reads -------------------------------------------------------------------------------


def device_is_signed_in(*, device_id: int, user_id: int) -> bool:
    """Is this device of this reader still signed in (not signed out, here or elsewhere)?"""
    return Device.objects.filter(pk=device_id, user_id=user_id, revoked_at__isnull=True).exists()


def devices_signed_in(*, user_id: int) -> list[Device]:
    return list(Device.objects.filter(user_id=user_id, revoked_at__isnull=True).order_by("-last_seen_at", "-id"))


def _session_store(session_key: str | None = None) -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def _session_alive(store_class: Any, session_key: str, user: Any) -> bool:
    """Does this session still exist and still sign in `user` (Django drops sessions made
    under an older password on their next request; they count as ended here already)?"""
    if not session_key:
        return False
    data = store_class(session_key).load()
    stored = data.get(HASH_SESSION_KEY) if data else None
    if stored is None or str(data.get(SESSION_KEY)) != str(user.pk):
        return False
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return any(constant_time_compare(stored, h) for h in hashes)


def devices_prune_ended(*, user_id: int, at: datetime, keep_id: int | None = None) -> None:
    """Sign out web devices whose session has ended (expired, flushed, older password) and app
    devices whose token has expired: neither counts against the device limit any more.

    A session found not to sign the reader in is deleted as well, not only its device marked:
    whatever it holds can never read again uncounted (a web sign-in saves its session with
    the reader in it before registering, so a sign-in under way is never taken for ended)."""
    apps = Device.objects.filter(user_id=user_id, revoked_at__isnull=True, kind=Device.Kind.APP)
    for device in apps.exclude(pk=keep_id) if keep_id is not None else apps:
        if token_expiry(device) <= at:
            device_revoke(device=device, reason=Reason.TOKEN_EXPIRED, actor_id=None, at=at)
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    web = Device.objects.filter(user_id=user_id, revoked_at__isnull=True, kind=Device.Kind.WEB).select_related("user")
    for device in web.exclude(pk=keep_id) if keep_id is not None else web:
        if not _session_alive(store_class, device.session_key, device.user):
            device_revoke(device=device, reason=Reason.EXPIRED, actor_id=None, at=at)


# --- writes ------------------------------------------------------------------------------


def device_register(
    *,
    user_id: int,
    kind: str,
    user_agent: str,
    ip: str | None,
    at: datetime,
    session_key: str = "",
    token_hash: str = "",
    policy_override: str | None = None,
) -> Device:
    """A new sign-in. Applies the device limit: evicts the least recently used devices, or with
    the "ask" policy leaves the new device pending until the reader chooses which one to drop.

    Sign-ins of one reader are registered one at a time (the reader's row locked on PostgreSQL;
    SQLite's write transaction, begun IMMEDIATE, serialises them anyway), so parallel sign-ins
    each count the others and together never pass the limit."""
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=user_id).values_list("pk"))  # the lock
        devices_prune_ended(user_id=user_id, at=at)
        network = network_of(ip)
        device = Device.objects.create(
            user_id=user_id,
            kind=kind,
            name=device_name(user_agent[:300]),
            user_agent=user_agent[:300],
            session_key=session_key,
            token_hash=token_hash,
            created_at=at,
            last_seen_at=at,
            last_network=network,
            place=place_for(ip),
        )
        DeviceSighting.objects.create(user_id=user_id, device=device, network=network, seen_at=at)
        _device_limit_apply(device, at=at, policy=policy_override or conf.policy())
    sharing_check(user_id=user_id, at=at)
    return device


def _device_limit_apply(device: Device, *, at: datetime, policy: str) -> None:
    """Over the limit with `device` signed in: leave it pending ("ask"), or sign out the least
    recently used others. Called inside device_register's transaction, the reader's row locked."""
    user_id = device.user_id
    limit = max_devices_for(user_id=user_id, at=at)
    active = [
        rules.DeviceSeen(d.pk, d.last_seen_at)
        for d in Device.objects.filter(user_id=user_id, revoked_at__isnull=True, pending=False)
    ]
    if not rules.over_limit(len(active), limit=limit):
        return
    if policy == rules.ASK:
        device.pending = True
        device.save(update_fields=["pending"])
        return
    for victim in Device.objects.filter(pk__in=rules.devices_to_evict(active, limit=limit, keep=device.pk)):
        device_revoke(device=victim, reason=Reason.LIMIT, actor_id=user_id, at=at)


def device_revoke(*, device: Device, reason: str, actor_id: int | None, at: datetime) -> bool:
    """Sign a device out: delete its session or drop its token, and record why and by whom.

    Returns False when it was already signed out."""
    updated = Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
        revoked_at=at, revoked_reason=reason[:40], revoked_by_id=actor_id, pending=False
    )
    if device.kind == Device.Kind.WEB and device.session_key:
        _session_store().delete(device.session_key)  # cached_db: the cache and the row
    if device.token_hash:
        cache.delete(TOKEN_CACHE_PREFIX + device.token_hash)
        generations.bump("devices")  # without Redis: every worker drops the tokens it holds
    device.revoked_at, device.revoked_reason, device.revoked_by_id = at, reason, actor_id
    return bool(updated)


def device_revoke_for_user(*, user_id: int, device_id: int, reason: str, actor_id: int, at: datetime) -> bool:
    """The reader signs out one of their own devices (never someone else's)."""
    device = Device.objects.filter(pk=device_id, user_id=user_id, revoked_at__isnull=True).first()
    if device is None:
        return False
    return device_revoke(device=device, reason=reason, actor_id=actor_id, at=at)


def device_revoke_others(*, user_id: int, keep_id: int | None, reason: str, actor_id: int | None, at: datetime) -> int:
    """Sign out every device of the reader except `keep_id` (the one asking)."""
    others = Device.objects.filter(user_id=user_id, revoked_at__isnull=True)
    if keep_id is not None:
        others = others.exclude(pk=keep_id)
    return sum(device_revoke(device=d, reason=reason, actor_id=actor_id, at=at) for d in others)


def device_confirm(*, device_id: int) -> None:
    """A pending device counts as signed in from now on."""
    Device.objects.filter(pk=device_id, revoked_at__isnull=True).update(pending=False)


def device_rekey(*, device_id: int, session_key: str) -> None:
    """Django gave the session a new key (log-in, password change): follow it."""
    Device.objects.filter(pk=device_id, revoked_at__isnull=True).update(session_key=session_key)


def device_touch(*, device_id: int, ip: str | None, at: datetime) -> None:
    """The throttled last-seen write: one UPDATE and one sighting (then the sharing check)."""
    device = Device.objects.filter(pk=device_id, revoked_at__isnull=True).only("user_id", "last_network").first()
    if device is None:
        return
    network = network_of(ip)
    changes: dict[str, Any] = {"last_seen_at": at, "last_network": network}
    if network != device.last_network:
        changes["place"] = place_for(ip)
    Device.objects.filter(pk=device_id).update(**changes)
    DeviceSighting.objects.create(user_id=device.user_id, device_id=device_id, network=network, seen_at=at)
    sharing_check(user_id=device.user_id, at=at)


def sharing_check(*, user_id: int, at: datetime, since: datetime | None = None) -> SharingFlag | None:
    """Flag (or refresh the flag on) an account seen from many networks within one window
    (looking at sightings since `since`, by default one window back from `at`).

    A flag is for the subscription manager to review; it never signs anyone out."""
    window = conf.sharing_window()
    sightings = [
        rules.Sighting(network, seen_at)
        for network, seen_at in DeviceSighting.objects.filter(
            user_id=user_id, seen_at__gte=since or at - window, seen_at__lte=at
        ).values_list("network", "seen_at")
    ]
    verdict = rules.sharing_verdict(sightings, window=window, threshold=conf.sharing_threshold())
    if not verdict.flagged or verdict.window_start is None or verdict.window_end is None:
        return None
    flag, created = SharingFlag.objects.get_or_create(
        user_id=user_id,
        defaults={
            "networks": verdict.networks,
            "window_start": verdict.window_start,
            "window_end": verdict.window_end,
            "flagged_at": at,
            "updated_at": at,
        },
    )
    if not created and flag.reviewed_at is not None and verdict.window_start > flag.window_end:
        flag.reviewed_at, flag.reviewed_by_id, flag.flagged_at = None, None, at  # a new episode to review
        flag.networks = 0
    if not created and verdict.networks >= flag.networks:
        flag.networks, flag.window_start, flag.window_end, flag.updated_at = (
            verdict.networks,
            verdict.window_start,
            verdict.window_end,
            at,
        )
        flag.save()
    return flag


def sharing_scan(*, since: datetime, at: datetime) -> int:
    """Check every account seen since `since` (the report command); returns how many are flagged."""
    threshold = conf.sharing_threshold()
    candidates = (
        DeviceSighting.objects.filter(seen_at__gte=since, seen_at__lte=at)
        .values("user_id")
        .annotate(n=Count("network", distinct=True))
        .filter(n__gte=threshold)
        .values_list("user_id", flat=True)
    )
    return sum(sharing_check(user_id=user_id, at=at, since=since) is not None for user_id in candidates)


def sightings_prune(*, before: datetime) -> int:
    return DeviceSighting.objects.filter(seen_at__lt=before).delete()[0]


def sharing_flag_review(*, flag_ids: list[int], actor_id: int, note: str = "") -> int:
    return SharingFlag.objects.filter(pk__in=flag_ids, reviewed_at__isnull=True).update(
        reviewed_at=clock.now(), reviewed_by_id=actor_id, note=note[:240]
    )
