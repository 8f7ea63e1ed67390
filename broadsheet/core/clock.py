"""One source of "now" for the whole code base, so tests can move time."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """The current aware UTC time."""
    return timezone.now()
