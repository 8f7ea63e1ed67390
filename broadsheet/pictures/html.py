"""Pictures as pages show them: <picture> with WebP and a JPEG fallback, srcset, sizes, and fixed dimensions.

Everything here builds strings from the stored renditions; nothing resizes, and
the original is never named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from urllib.parse import urljoin

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from broadsheet.pictures import storage
from broadsheet.pictures.models import Picture
from broadsheet.pictures.rules import scaled_height

# Body images the desk inserted from the picture library: ".../pictures/<key>-<width>.<ext>".
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="[^"]*/pictures/(?P<key>[0-9a-f]{16,32})-\d+\.(?:jpg|webp)"')
_ALT = re.compile(r'\salt="(?P<alt>[^"]*)"')
_FIGURE = re.compile(r"<figure>(?P<inner>.*?)</figure>", re.IGNORECASE | re.DOTALL)
_FIGCAPTION_END = re.compile(r"</figcaption>", re.IGNORECASE)


def rendition_url(picture: Picture, width: int, ext: str) -> str:
    return storage.renditions().url(picture.rendition_name(width, ext))


def absolute_url(picture: Picture, width: int | None = None) -> str:
    """The JPEG rendition (largest by default) as an absolute URL, for og:image and JSON-LD."""
    w = width or max(picture.widths)
    return urljoin(settings.SITE_URL + "/", rendition_url(picture, w, "jpg"))


def dimensions(picture: Picture, width: int | None = None) -> tuple[int, int]:
    w = width or max(picture.widths)
    return w, scaled_height(width=w, original_width=picture.width, original_height=picture.height)


def renditions(picture: Picture) -> list[tuple[str, int, int, str]]:
    """Every stored rendition as (absolute URL, width, height, format), narrowest first, WebP before JPEG."""
    out = []
    for width in sorted(picture.widths):
        w, h = dimensions(picture, width)
        for ext, kind in (("webp", "webp"), ("jpg", "jpeg")):
            out.append((urljoin(settings.SITE_URL + "/", rendition_url(picture, width, ext)), w, h, kind))
    return out


def _srcset(picture: Picture, ext: str) -> str:
    return ", ".join(f"{rendition_url(picture, w, ext)} {w}w" for w in sorted(picture.widths))


def picture_html(
    picture: Picture, *, sizes: str, lazy: bool = True, css_class: str = "", alt: str | None = None
) -> SafeString:
    """The picture element; `lazy` for anything below the fold, eager (and high priority) for a lead."""
    widths = sorted(picture.widths)
    src_width = next((w for w in widths if w >= 800), widths[-1])
    width, height = dimensions(picture, src_width)
    # Below the fold: lazy; a lead, eager. (No fetchpriority: the pinned Nu HTML checker does not know it yet.)
    loading = 'loading="lazy" decoding="async"' if lazy else 'decoding="async"'
    return format_html(
        '<picture class="{}"><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {}></picture>',
        css_class or "pic",
        _srcset(picture, "webp"),
        sizes,
        rendition_url(picture, src_width, "jpg"),
        _srcset(picture, "jpg"),
        sizes,
        width,
        height,
        picture.alt if alt is None else alt,
        mark_safe(loading),  # noqa: S308 - a constant of ours
    )


def keys_in(html: str) -> set[str]:
    return {m.group("key") for tag in _IMG.findall(html) if (m := _SRC.search(tag))}


def body_pictures_expand(blocks: Iterable[str], pictures: dict[str, Picture], *, sizes: str) -> list[str]:
    """Body <img>s that name a library picture become full <picture>s (lazy, sized, with srcset).

    Runs once per story body and generation (the blocks are cached), never per request.
    The desk's alt text on the <img> wins over the library's.
    """

    def replace(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = _SRC.search(tag)
        picture = pictures.get(src.group("key")) if src else None
        if picture is None or not picture.widths:
            return tag
        alt_match = _ALT.search(tag)
        # The sanitiser left the alt escaped; format_html escapes it again, once, from plain text.
        alt = unescape(alt_match.group("alt")) if alt_match and alt_match.group("alt").strip() else None
        return picture_html(picture, sizes=sizes, lazy=True, css_class="pic body-pic", alt=alt)

    return [_IMG.sub(replace, _FIGURE.sub(lambda m: _credit_added(m, pictures), block)) for block in blocks]


def _credit_added(match: re.Match[str], pictures: dict[str, Picture]) -> str:
    """A body figure of a library picture carries the library's credit in its caption, as the lead does."""
    inner = match.group("inner")
    src = next((m for tag in _IMG.findall(inner) if (m := _SRC.search(tag))), None)
    picture = pictures.get(src.group("key")) if src else None
    if picture is None or not picture.credit.strip():
        return match.group(0)
    credit = format_html(' <span class="credit">{}</span>', picture.credit.strip())
    if _FIGCAPTION_END.search(inner):
        inner = _FIGCAPTION_END.sub(lambda _: f"{credit}</figcaption>", inner, count=1)
    else:
        inner = f"{inner}<figcaption>{credit.lstrip()}</figcaption>"
    return f"<figure>{inner}</figure>"
