"""Writes: a picture is created with its renditions, or not at all."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction

from broadsheet.pictures import conf, storage
from broadsheet.pictures.images import read_upload, renditions_make
from broadsheet.pictures.models import Picture

ORIGINAL_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


def picture_create(
    *, data: bytes, name: str, alt: str, caption: str = "", credit: str = "", uploaded_by_id: int | None = None
) -> Picture:
    """Check the upload, write its renditions and keep the original; PictureRefused says why not.

    The files are written before the row, so a row never names files that are
    missing; a failure after them leaves unreferenced files, never a broken page.
    """
    image = read_upload(data, limits=conf.limits())
    key = f"{hashlib.sha256(data).hexdigest()[:16]}{secrets.token_hex(4)}"
    made = renditions_make(image)
    media = storage.renditions()
    for r in made:
        media.save(f"pictures/{key}-{r.width}.webp", ContentFile(r.webp))
        media.save(f"pictures/{key}-{r.width}.jpg", ContentFile(r.jpeg))
    suffix = PurePath(name).suffix.lower()
    storage.originals().save(f"{key}{suffix if suffix in ORIGINAL_SUFFIXES else ''}", ContentFile(data))
    with transaction.atomic():
        return Picture.objects.create(
            key=key,
            alt=alt.strip(),
            caption=caption.strip(),
            credit=credit.strip(),
            width=image.width,
            height=image.height,
            widths=[r.width for r in made],
            original_name=PurePath(name).name[:255],
            uploaded_by_id=uploaded_by_id,
        )
