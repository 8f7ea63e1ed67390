"""Names of the e-paper's files in its storage, and their removal.

Every name carries the printing's random key, so a storage that were ever
exposed by mistake would still not give away page images by guessable names.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from broadsheet.epaper import conf

log = logging.getLogger(__name__)


def printing_folder(*, day: date, slug: str, key: str) -> str:
    return f"editions/{day.isoformat()}/{slug}/{key}"


def pdf_name(folder: str) -> str:
    return f"{folder}/edition.pdf"


def page_image_name(folder: str, number: int, extension: str) -> str:
    return f"{folder}/p{number:03d}.{extension}"


def page_thumb_name(folder: str, number: int, extension: str) -> str:
    return f"{folder}/p{number:03d}-thumb.{extension}"


def clipping_name(key: str, extension: str) -> str:
    return f"clippings/{key}.{extension}"


def files_delete(names: Iterable[str]) -> int:
    """Remove files from the e-paper storage; a file already gone is not an error."""
    storage = conf.storage()
    removed = 0
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
            removed += 1
        except OSError as exc:  # a failed removal leaves an orphan, never a broken edition
            log.warning("e-paper: could not remove %s: %s", name, exc)
    return removed


def content_type_for(name: str) -> str:
    if name.endswith(".pdf"):
        return "application/pdf"
    if name.endswith(".jpg"):
        return "image/jpeg"
    return "image/webp"
