"""The reading app's own files: an installable manifest, icons we draw, a service worker
that keeps the app's files only, and a page with no reader data and no template markers."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from PIL import Image

from broadsheet.pwa.views import short_name
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_paper_and_points_at_the_app() -> None:
    f.publication(name="The Broadsheet Daily")
    response = Client().get("/app/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["short_name"]) == ("The Broadsheet Daily", "Broadsheet")
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/app/", "/app/", "standalone")
    sizes = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


@pytest.mark.parametrize(
    ("path", "size", "mode"),
    [
        ("/app/icon-192.png", 192, "RGBA"),
        ("/app/icon-512.png", 512, "RGBA"),
        ("/app/icon-maskable-512.png", 512, "RGB"),
    ],
)
def test_icons_are_drawn_at_their_size(path: str, size: int, mode: str) -> None:
    f.publication()
    response = Client().get(path)
    image = Image.open(io.BytesIO(response.content))
    assert response["Content-Type"] == "image/png" and image.size == (size, size) and image.mode == mode
    assert image.getpixel((size // 2, size // 2)) != image.getpixel((2, size // 2))  # a drawing, not a blank


def test_the_service_worker_keeps_the_app_files_and_never_the_api() -> None:
    f.publication()
    response = Client().get("/app/sw.js")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript") and response["Service-Worker-Allowed"] == "/app/"
    files = json.loads(body.split("const FILES = ", 1)[1].split(";", 1)[0])
    assert "/app/" in files and all(not p.startswith("/api/") for p in files)
    assert 'url.pathname.startsWith("/api/")' in body
    assert "{{" not in body and "{%" not in body


def test_the_page_holds_no_reader_data_even_for_a_signed_in_browser() -> None:
    f.publication()
    client = Client()
    user = f.subscriber()
    client.force_login(user)
    body = client.get("/app/").content.decode()
    assert '<link rel="manifest" href="/app/manifest.webmanifest">' in body
    assert user.email not in body and "{{" not in body and "{%" not in body
    assert Client().head("/app/").status_code == 200


def test_short_names_keep_whole_words() -> None:
    assert short_name("The Broadsheet Daily") == "Broadsheet"
    assert short_name("Mint") == "Mint"
    assert short_name("Supercalifragilistic News") == "Supercalifra"
