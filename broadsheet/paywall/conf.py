"""The paywall's settings, read in one place."""

from __future__ import annotations

from django.conf import settings


def network_multiple() -> int:
    """The anonymous ceiling per network and month, as a multiple of the anonymous free limit."""
    return int(settings.BROADSHEET_NETWORK_FREE_MULTIPLE)


def archive_age_days() -> int:
    """Stories older than this many days need the archive benefit (0 switches the archive rule off)."""
    return int(settings.BROADSHEET_ARCHIVE_AGE_DAYS)


def meter_store() -> str:
    """The dotted path of the meter's store (Redis with REDIS_URL, else the database)."""
    return str(settings.BROADSHEET_METER_STORE)


def meter_prefix() -> str:
    return str(settings.BROADSHEET_METER_PREFIX)


def dns_resolver() -> str:
    """The dotted path of the resolver that verifies crawlers."""
    return str(settings.BROADSHEET_DNS_RESOLVER)


def reader_cookie() -> str:
    """The name of the cookie that keeps an anonymous reader's key."""
    return str(settings.BROADSHEET_READER_COOKIE)
