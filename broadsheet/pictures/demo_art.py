"""The demo's pictures, drawn here with Pillow: charts for market stories, simple graphics for the rest.

Every picture is a deterministic function of the story's slug (the same slug always
gives the same bytes), so the demo looks the same on every machine and nothing is
downloaded. The PNGs go through `picture_create` like any upload.
"""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 675
PAPER = (255, 253, 248)
INK = (26, 26, 26)
GRID = (217, 212, 199)
# A palette per section: background, shape, accent.
PALETTES: dict[str, tuple[tuple[int, int, int], ...]] = {
    "india": ((230, 240, 236), (46, 111, 94), (222, 158, 54)),
    "economy": ((238, 236, 246), (64, 70, 140), (190, 70, 60)),
    "companies": ((244, 238, 228), (120, 76, 40), (40, 96, 140)),
    "technology": ((230, 238, 248), (30, 90, 160), (240, 150, 40)),
    "world": ((236, 242, 246), (40, 100, 130), (200, 90, 60)),
    "opinion": ((246, 238, 232), (138, 28, 28), (60, 60, 60)),
}
CHART_SECTIONS = frozenset({"markets", "market-analysis"})
BAR_SECTIONS = frozenset({"economy"})


@dataclass(frozen=True, slots=True)
class DemoArt:
    png: bytes
    alt: str
    caption: str
    credit: str


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _rng(slug: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big"))


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def line_chart(slug: str, label: str) -> DemoArt:
    """A session-by-session index line with gridlines, axis labels and the closing value."""
    rng = _rng(slug)
    values = [100.0]
    drift = rng.uniform(-0.25, 0.35)
    for _ in range(59):
        values.append(values[-1] * (1 + (drift + rng.gauss(0, 1.1)) / 100))
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 110, 110, WIDTH - 60, HEIGHT - 90
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    for i in range(5):
        y = bottom - (bottom - top) * i / 4
        draw.line([(left, y), (right, y)], fill=GRID, width=2)
        draw.text((left - 16, y), f"{low + span * i / 4:,.0f}", font=_font(22), fill=(90, 90, 90), anchor="rm")
    points = [
        (left + (right - left) * i / (len(values) - 1), bottom - (bottom - top) * (v - low) / span)
        for i, v in enumerate(values)
    ]
    up = values[-1] >= values[0]
    colour = (31, 120, 60) if up else (170, 30, 30)
    draw.polygon([(left, bottom), *points, (right, bottom)], fill=(236, 244, 238) if up else (248, 234, 234))
    draw.line(points, fill=colour, width=5, joint="curve")
    draw.ellipse([points[-1][0] - 9, points[-1][1] - 9, points[-1][0] + 9, points[-1][1] + 9], fill=colour)
    draw.text((left, 40), label, font=_font(36, bold=True), fill=INK)
    change = (values[-1] / values[0] - 1) * 100
    draw.text((right, 46), f"{change:+.1f}% over 60 sessions", font=_font(26), fill=colour, anchor="ra")
    draw.text((left, bottom + 30), "60 trading sessions to the latest close", font=_font(22), fill=(90, 90, 90))
    trend = "rising" if up else "falling"
    return DemoArt(
        _png(image),
        alt=f"Line chart of {label} over 60 trading sessions, {trend} {abs(change):.1f}% to the latest close.",
        caption=f"{label}: 60 sessions to the latest close.",
        credit="Graphic: Broadsheet Daily data desk",
    )


def bar_chart(slug: str, label: str) -> DemoArt:
    """Eight quarters of a made-up indicator as bars, the latest highlighted."""
    rng = _rng(slug)
    values = [round(rng.uniform(4.0, 8.5), 1) for _ in range(8)]
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 90, 130, WIDTH - 60, HEIGHT - 90
    slot = (right - left) / len(values)
    for i, v in enumerate(values):
        x0 = left + slot * i + slot * 0.18
        x1 = left + slot * (i + 1) - slot * 0.18
        y = bottom - (bottom - top) * v / 10
        draw.rectangle([x0, y, x1, bottom], fill=(190, 70, 60) if i == len(values) - 1 else (64, 70, 140))
        draw.text(((x0 + x1) / 2, y - 12), f"{v}%", font=_font(24, bold=True), fill=INK, anchor="mb")
        draw.text(((x0 + x1) / 2, bottom + 14), f"Q{i % 4 + 1}", font=_font(22), fill=(90, 90, 90), anchor="ma")
    draw.line([(left, bottom), (right, bottom)], fill=INK, width=2)
    draw.text((left, 44), label, font=_font(36, bold=True), fill=INK)
    return DemoArt(
        _png(image),
        alt=f"Bar chart of {label} over eight quarters; the latest quarter is {values[-1]}%.",
        caption=f"{label}, by quarter.",
        credit="Graphic: Broadsheet Daily data desk",
    )


def graphic(slug: str, section: str, label: str) -> DemoArt:
    """A plain illustration: a horizon, a sun and overlapping discs in the section's colours."""
    rng = _rng(slug)
    background, shape, accent = PALETTES.get(section, PALETTES["india"])
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    horizon = int(HEIGHT * rng.uniform(0.55, 0.7))
    sun_x = int(WIDTH * rng.uniform(0.2, 0.8))
    draw.ellipse([sun_x - 110, horizon - 220, sun_x + 110, horizon], fill=accent)
    for i in range(6):
        cx, r = rng.randint(0, WIDTH), rng.randint(60, 180)
        tint = tuple(min(255, c + 28 * (i % 3)) for c in shape)
        draw.ellipse([cx - r, horizon - r // 2, cx + r, horizon + r + r // 2], fill=tint)
    draw.rectangle([0, horizon + 40, WIDTH, HEIGHT], fill=shape)
    for i in range(0, WIDTH, 48):
        draw.line([(i, HEIGHT - 30), (i + 24, HEIGHT - 30)], fill=background, width=4)
    draw.rectangle([0, 0, WIDTH, 76], fill=(255, 255, 255))
    draw.text((40, 38), label, font=_font(30, bold=True), fill=INK, anchor="lm")
    return DemoArt(
        _png(image),
        alt=f"Illustration for {label}: a stylised horizon with a low sun, in the {section} section's colours.",
        caption=f"Illustration: {label}.",
        credit="Illustration: Broadsheet Daily",
    )


def masthead_logo(name: str) -> DemoArt:
    """The publisher's wordmark, for structured data and invoices."""
    image = Image.new("RGB", (800, 160), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype("DejaVuSerif-Bold.ttf", 64)
    except OSError:
        font = ImageFont.load_default(size=64)
    draw.text((400, 80), name, font=font, fill=INK, anchor="mm")
    draw.line([(40, 140), (760, 140)], fill=(138, 28, 28), width=6)
    return DemoArt(_png(image), alt=f"{name} logo", caption="", credit="")


def art_for(*, slug: str, section: str, label: str) -> DemoArt:
    if section in CHART_SECTIONS:
        return line_chart(slug, label)
    if section in BAR_SECTIONS:
        return bar_chart(slug, label)
    return graphic(slug, section, label)
