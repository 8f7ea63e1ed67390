"""The pictures app's settings, read in one place."""

from __future__ import annotations

from django.conf import settings

from broadsheet.pictures.rules import Limits


def limits() -> Limits:
    return Limits(max_bytes=settings.BROADSHEET_PICTURE_MAX_BYTES, max_pixels=settings.BROADSHEET_PICTURE_MAX_PIXELS)
