"""The reader API's settings, read when used. Defaults live in settings.py; documented in docs/api.md."""

from __future__ import annotations

from django.conf import settings


def rate_window_seconds() -> int:
    return max(1, int(settings.BROADSHEET_API_RATE_WINDOW_SECONDS))


def rate_per_token() -> int:
    """Requests per window per token (0 switches the limit off)."""
    return int(settings.BROADSHEET_API_RATE_PER_TOKEN)


def rate_per_address() -> int:
    """Requests per window per client address (0 switches the limit off)."""
    return int(settings.BROADSHEET_API_RATE_PER_ADDRESS)


def idempotency_hours() -> int:
    """How long a write's Idempotency-Key is remembered."""
    return int(settings.BROADSHEET_IDEMPOTENCY_HOURS)
