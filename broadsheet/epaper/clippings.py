"""Clippings: a reader's selected region of a page, cut out of the reading image into a file of its own.

The public clipping page serves only that file: the page image itself stays
behind the paywall, and nothing in the clipping leads to it.
"""

from __future__ import annotations

from datetime import datetime

from django.core.files.base import ContentFile
from PIL import Image

from broadsheet.epaper import conf, files, pdf
from broadsheet.epaper.models import Clipping, Edition, Page, new_clip_key
from broadsheet.epaper.rendering import spec
from broadsheet.epaper.rules import Rect

SCALE = 10_000


def clipping_create(*, edition: Edition, page: Page, rect: Rect, actor_id: int | None, at: datetime) -> Clipping:
    """Cut `rect` out of the page's reading image and store it as a public clipping."""
    storage = conf.storage()
    with storage.open(page.image, "rb") as stream, Image.open(stream) as source:
        source.load()
        box = rect.pixels(source.width, source.height)
        cut = source.crop(box).convert("RGB")
    image_spec = spec()
    key = new_clip_key()
    name = storage.save(files.clipping_name(key, image_spec.extension), ContentFile(pdf.encode(cut, image_spec)))
    try:
        return Clipping.objects.create(
            key=key,
            edition=edition,
            page_number=page.number,
            left=round(rect.left * SCALE),
            top=round(rect.top * SCALE),
            width=round(rect.width * SCALE),
            height=round(rect.height * SCALE),
            image=name,
            image_width=cut.width,
            image_height=cut.height,
            created_by_id=actor_id,
            created_at=at,
        )
    except BaseException:
        files.files_delete([name])
        raise
