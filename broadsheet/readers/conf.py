"""The readers app's settings, read when used. Defaults live in settings.py; documented in docs/devices.md."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from broadsheet.readers import device_rules as rules


def policy() -> str:
    """What a sign-in over the device limit does: evict_oldest (anything unknown reads as that) or ask."""
    value = settings.BROADSHEET_DEVICE_LIMIT_POLICY
    return value if value in rules.POLICIES else rules.EVICT_OLDEST


def touch_interval() -> int:
    """Seconds between two writes of a device's last-seen time."""
    return int(settings.BROADSHEET_DEVICE_TOUCH_SECONDS)


def token_idle() -> timedelta:
    return timedelta(days=float(settings.BROADSHEET_APP_TOKEN_IDLE_DAYS))


def token_lifetime() -> timedelta:
    return timedelta(days=float(settings.BROADSHEET_APP_TOKEN_MAX_DAYS))


def token_cache_seconds() -> int:
    """With Redis: how long a token lookup stays in the shared cache."""
    return int(settings.BROADSHEET_APP_TOKEN_CACHE_SECONDS)


def sharing_window() -> timedelta:
    return timedelta(hours=float(settings.BROADSHEET_SHARING_WINDOW_HOURS))


def sharing_threshold() -> int:
    return int(settings.BROADSHEET_SHARING_NETWORKS)


def default_max_devices() -> int:
    """The device limit of a reader without a plan."""
    return int(settings.BROADSHEET_DEFAULT_MAX_DEVICES)


def geoip_path() -> str:
    """A GeoIP2 City database file or folder; blank: no places shown."""
    return str(settings.GEOIP_PATH or "")
