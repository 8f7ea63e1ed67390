"""What to accept and which renditions to make: plain rules, no Django, no Pillow.

An upload is refused before a pixel is decoded when it is too many bytes, or
when its header declares more pixels than the limit (a decompression bomb: a
few kilobytes that would decode to gigabytes). Renditions are made once, at
upload, in the widths below that the original can fill, so no request ever
resizes anything.
"""

from __future__ import annotations

from dataclasses import dataclass

# Widths a page asks for: a phone card, a desktop card or phone lead, a desktop lead.
RENDITION_WIDTHS: tuple[int, ...] = (480, 800, 1200)
ACCEPTED_FORMATS: frozenset[str] = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
MIN_SIDE = 100  # smaller than this is an icon, not a picture (a logo may be 800 by 160)


class PictureRefused(ValueError):
    """An upload we will not keep; the message says why, in words for the editor."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int
    max_pixels: int


def check_size(*, size_bytes: int, limits: Limits) -> None:
    if size_bytes <= 0:
        raise PictureRefused("The file is empty.")
    if size_bytes > limits.max_bytes:
        raise PictureRefused(
            f"The file is {size_bytes / 1_048_576:.1f} MB; "
            f"pictures may be at most {limits.max_bytes / 1_048_576:.0f} MB."
        )


def check_header(*, image_format: str | None, width: int, height: int, limits: Limits) -> None:
    """Refuse what the header declares, before anything is decoded."""
    if image_format not in ACCEPTED_FORMATS:
        raise PictureRefused(
            f"{image_format or 'This file'} is not a picture format we take: upload a JPEG, PNG, WebP or GIF."
        )
    if width * height > limits.max_pixels:
        raise PictureRefused(
            f"The picture declares {width} by {height} pixels, more than the {limits.max_pixels / 1e6:.0f} megapixels "
            "we accept (a file like this can be a decompression bomb)."
        )
    if min(width, height) < MIN_SIDE:
        raise PictureRefused(f"The picture is {width} by {height} pixels; each side must be at least {MIN_SIDE}.")


def rendition_widths(original_width: int) -> tuple[int, ...]:
    """The widths to make: every standard width the original fills, or the original's own if it is smaller."""
    widths = tuple(w for w in RENDITION_WIDTHS if w <= original_width)
    return widths or (original_width,)


def scaled_height(*, width: int, original_width: int, original_height: int) -> int:
    return max(1, round(original_height * width / original_width))
