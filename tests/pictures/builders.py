"""Pictures for tests, drawn by the demo's own art code and stored through the upload path."""

from __future__ import annotations

import io

from PIL import Image

from broadsheet.pictures.demo_art import graphic, line_chart
from broadsheet.pictures.models import Picture
from broadsheet.pictures.services import picture_create


def picture(slug: str = "test", *, chart: bool = False, alt: str = "A test picture of a horizon") -> Picture:
    art = line_chart(slug, "Test index") if chart else graphic(slug, "india", "Test")
    return picture_create(data=art.png, name=f"{slug}.png", alt=alt, caption="A caption", credit="Test Desk")


def png_bytes(width: int, height: int, *, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "white").save(out, "PNG")
    return out.getvalue()
