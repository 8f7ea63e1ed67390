"""The wire desk's settings, read when used. Defaults live in settings.py; documented in docs/wire.md."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def max_file_bytes() -> int:
    return int(settings.BROADSHEET_WIRE_MAX_FILE_BYTES)


def max_item_bytes() -> int:
    return int(settings.BROADSHEET_WIRE_MAX_ITEM_BYTES)


def quarantine_dir() -> Path:
    configured = settings.BROADSHEET_WIRE_QUARANTINE_DIR
    return Path(configured) if configured else Path(settings.DATA_DIR) / "wire" / "quarantine"


def chunk_size() -> int:
    """Items written per transaction: a crash loses at most one chunk's work, which the rerun redoes."""
    return int(settings.BROADSHEET_WIRE_CHUNK)


def poll_seconds() -> int:
    """How often the worker looks for sources that are due (each source has its own interval)."""
    return int(settings.BROADSHEET_WIRE_POLL_SECONDS)


def http_timeout() -> float:
    return float(settings.BROADSHEET_WIRE_HTTP_TIMEOUT)


def lease_seconds() -> int:
    """How long one pass may hold a source before another worker may take it over."""
    return int(settings.BROADSHEET_WIRE_LEASE_SECONDS)
