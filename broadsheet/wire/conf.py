"""The wire desk's settings, read when used (never at import). Documented in docs/wire.md."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

MIB = 1024 * 1024


def max_file_bytes() -> int:
    return int(getattr(settings, "BROADSHEET_WIRE_MAX_FILE_BYTES", 20 * MIB))


def max_item_bytes() -> int:
    return int(getattr(settings, "BROADSHEET_WIRE_MAX_ITEM_BYTES", 2 * MIB))


def quarantine_dir() -> Path:
    default = Path(settings.DATA_DIR) / "wire" / "quarantine"
    return Path(getattr(settings, "BROADSHEET_WIRE_QUARANTINE_DIR", default))


def chunk_size() -> int:
    """Items written per transaction: a crash loses at most one chunk's work, which the rerun redoes."""
    return int(getattr(settings, "BROADSHEET_WIRE_CHUNK", 200))


def poll_seconds() -> int:
    """How often the worker looks for sources that are due (each source has its own interval)."""
    return int(getattr(settings, "BROADSHEET_WIRE_POLL_SECONDS", 60))


def http_timeout() -> float:
    return float(getattr(settings, "BROADSHEET_WIRE_HTTP_TIMEOUT", 30))


def lease_seconds() -> int:
    """How long one pass may hold a source before another worker may take it over."""
    return int(getattr(settings, "BROADSHEET_WIRE_LEASE_SECONDS", 900))
