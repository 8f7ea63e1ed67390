"""Uploads: renditions are made once, in the sizes pages ask for; hostile files are refused with a reason."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from broadsheet.pictures import rules
from broadsheet.pictures.models import Picture
from broadsheet.pictures.rules import PictureRefused
from broadsheet.pictures.services import picture_create
from tests.pictures.builders import picture, png_bytes

pytestmark = pytest.mark.django_db


def _bomb_png(width: int, height: int) -> bytes:
    """A real 200x200 PNG whose header claims `width` x `height`: a decompression bomb's shape."""
    data = bytearray(png_bytes(200, 200))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17])) & 0xFFFFFFFF
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


def test_renditions_are_made_once_in_webp_and_jpeg_at_each_width(media_dirs: dict[str, Path]) -> None:
    pic = picture("sizes")
    assert pic.widths == list(rules.RENDITION_WIDTHS)
    for width in pic.widths:
        for ext, fmt in (("webp", "WEBP"), ("jpg", "JPEG")):
            path = media_dirs["media"] / pic.rendition_name(width, ext)
            with Image.open(path) as im:
                assert (im.format, im.width) == (fmt, width)
                assert im.height == round(675 * width / 1200)
    # The original is kept, but not under MEDIA_ROOT (nothing serves it).
    originals = list(media_dirs["originals"].iterdir())
    assert [p.name for p in originals] == [f"{pic.key}.png"]
    assert not any(p.name.startswith(pic.key) and p.suffix == ".png" for p in media_dirs["media"].rglob("*"))


def test_a_small_original_gets_one_rendition_at_its_own_width() -> None:
    pic = picture_create(data=png_bytes(300, 200), name="small.png", alt="A small picture")
    assert pic.widths == [300]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "not a picture we can read"),
        (b"GIF89a" + b"\x00" * 40, "not a picture we can read"),
        (png_bytes(400, 300)[:120], "not a picture we can read"),
        (_bomb_png(60_000, 60_000), "decompression bomb"),
        (png_bytes(80, 60), "at least 100"),
    ],
    ids=["empty", "svg-with-script", "broken-gif", "truncated-png", "bomb", "icon-sized"],
)
def test_hostile_or_useless_uploads_are_refused_with_a_reason(
    data: bytes, reason: str, media_dirs: dict[str, Path]
) -> None:
    with pytest.raises(PictureRefused, match=reason):
        picture_create(data=data, name="upload.jpg", alt="Whatever")
    assert Picture.objects.count() == 0
    assert not media_dirs["media"].exists() or not any(media_dirs["media"].rglob("*.*"))


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(settings: object) -> None:
    settings.BROADSHEET_PICTURE_MAX_BYTES = 10_000  # type: ignore[attr-defined]
    big = io.BytesIO()
    Image.effect_noise((400, 400), 64).convert("RGB").save(big, "PNG")
    with pytest.raises(PictureRefused, match="at most"):
        picture_create(data=big.getvalue(), name="big.png", alt="Noise")


def test_the_desk_shows_why_an_upload_was_refused(admin_client: Client) -> None:
    bomb = io.BytesIO(_bomb_png(50_000, 50_000))
    bomb.name = "holiday.png"
    response = admin_client.post("/admin/pictures/picture/add/", {"upload": bomb, "alt": "A bomb"})
    assert response.status_code == 200
    assert "decompression bomb" in response.content.decode()
    assert Picture.objects.count() == 0


def test_the_desk_uploads_a_picture_and_shows_where_to_insert_it(admin_client: Client) -> None:
    upload = io.BytesIO(png_bytes(1600, 900))
    upload.name = "port.png"
    response = admin_client.post(
        "/admin/pictures/picture/add/", {"upload": upload, "alt": "Cranes at the port", "caption": "The port"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pic = Picture.objects.get()
    assert (pic.width, pic.height, pic.alt) == (1600, 900, "Cranes at the port")
    page = admin_client.get(f"/admin/pictures/picture/{pic.pk}/change/").content.decode()
    assert f"/media/pictures/{pic.key}-800.jpg" in page


def test_alt_text_is_required(admin_client: Client) -> None:
    upload = io.BytesIO(png_bytes(800, 600))
    upload.name = "x.png"
    response = admin_client.post("/admin/pictures/picture/add/", {"upload": upload, "alt": "   "})
    assert response.status_code == 200
    assert Picture.objects.count() == 0


def test_renditions_are_served_as_immutable_files_and_originals_never(client: Client) -> None:
    pic = picture("served")
    response = client.get(f"/media/pictures/{pic.key}-480.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    assert client.get(f"/media/pictures/{pic.key}.png").status_code == 404
    assert client.get(f"/media/picture-originals/{pic.key}.png").status_code == 404
    assert client.get(f"/media/../picture-originals/{pic.key}.png").status_code == 404
