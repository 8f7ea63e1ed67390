"""The e-paper's settings, read when used (never at import). Set in settings.py; documented in docs/epaper.md."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages

MB = 1024 * 1024
BENEFIT = "epaper"  # the benefit code every e-paper surface asks the paywall about


def storage() -> Storage:
    """Where PDFs, page images and clippings live (STORAGES["epaper"]: the data dir, or S3)."""
    return storages["epaper"]


def max_upload_bytes() -> int:
    return int(settings.BROADSHEET_EPAPER_MAX_UPLOAD_MB) * MB


def max_pages() -> int:
    return int(settings.BROADSHEET_EPAPER_MAX_PAGES)


def reading_width() -> int:
    return int(settings.BROADSHEET_EPAPER_READING_WIDTH)


def thumb_width() -> int:
    return int(settings.BROADSHEET_EPAPER_THUMB_WIDTH)


def image_format() -> str:
    """ "webp" or "jpeg"."""
    return str(settings.BROADSHEET_EPAPER_IMAGE_FORMAT)


def link_seconds() -> int:
    """How long a signed PDF download link works."""
    return int(settings.BROADSHEET_EPAPER_LINK_MINUTES) * 60


def clip_max_fraction() -> float:
    """The largest share of a page one clipping may show."""
    return int(settings.BROADSHEET_EPAPER_CLIP_MAX_PERCENT) / 100


def render_memory_mb() -> int:
    """The most memory one page's renderer (a child process) may take."""
    return int(settings.BROADSHEET_EPAPER_RENDER_MEMORY_MB)


def page_seconds() -> float:
    """The longest one page may take to render before it is marked broken."""
    return float(settings.BROADSHEET_EPAPER_PAGE_SECONDS)
