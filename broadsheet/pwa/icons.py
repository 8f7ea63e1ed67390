"""The app's icons, drawn here with Pillow: a folded newspaper page on the masthead red.

`icon_png(size, maskable)` draws at any size; "maskable" keeps the drawing inside the
central 80 % safe zone and fills the square to its edges, as launchers crop it.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw

ACCENT = (138, 28, 28)
PAPER = (255, 253, 248)
INK = (26, 26, 26)
RULE = (190, 180, 165)


@lru_cache(maxsize=8)
def icon_png(size: int, *, maskable: bool = False) -> bytes:
    scale = 4  # draw large, then shrink: smooth edges without anti-aliasing support in ImageDraw
    big = size * scale
    image = Image.new("RGB" if maskable else "RGBA", (big, big), ACCENT if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if not maskable:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=ACCENT)
    inset = big * (0.22 if maskable else 0.18)
    _page(draw, inset, big)
    out = io.BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _page(draw: ImageDraw.ImageDraw, inset: float, big: int) -> None:
    """A page with a masthead, a headline, two columns of text and a corner folded over."""
    left, top, right, bottom = inset, inset * 1.05, big - inset, big - inset * 0.95
    width = right - left
    fold = width * 0.18
    draw.polygon([(left, top), (right - fold, top), (right, top + fold), (right, bottom), (left, bottom)], fill=PAPER)
    draw.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)], fill=RULE)
    pad = width * 0.1
    x0, x1 = left + pad, right - pad
    y = top + pad
    draw.rectangle((x0, y, x1 - fold * 0.6, y + width * 0.1), fill=INK)  # the masthead
    y += width * 0.16
    draw.rectangle((x0, y, x1, y + width * 0.012), fill=INK)  # the rule under it
    y += width * 0.06
    draw.rectangle((x0, y, x0 + (x1 - x0) * 0.8, y + width * 0.06), fill=ACCENT)  # the headline
    y += width * 0.12
    gap = width * 0.06
    column = (x1 - x0 - gap) / 2
    line = width * 0.035
    while y + line < bottom - pad:
        for start in (x0, x0 + column + gap):
            draw.rectangle((start, y, start + column, y + line), fill=RULE)
        y += line * 2
