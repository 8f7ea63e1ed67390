"""The partner pools' settings, read when used. Defaults live in settings.py; documented in docs/partners.md."""

from __future__ import annotations

from django.conf import settings


def csv_max_bytes() -> int:
    """The largest code file staff may upload."""
    return int(settings.BROADSHEET_PARTNER_CSV_MAX_BYTES)


def alert_emails() -> list[str]:
    """Addresses told when a pool runs low, besides the staff who may change pools."""
    return list(settings.BROADSHEET_PARTNER_ALERT_EMAILS)
