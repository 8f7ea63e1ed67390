"""The ground floor's settings, read when used. Defaults live in settings.py; documented in docs/operations.md."""

from __future__ import annotations

from django.conf import settings


def client_ip_header() -> str:
    """The header our proxy writes the client's address to (HTTP_X_FORWARDED_FOR); blank: REMOTE_ADDR."""
    return str(settings.BROADSHEET_CLIENT_IP_HEADER)


def trusted_proxies() -> int:
    """How many right-most entries of that header our own proxies wrote."""
    return int(settings.BROADSHEET_TRUSTED_PROXIES)
