"""Pages go gzipped to browsers that accept it (Lighthouse found the HTML sent uncompressed); pictures
and PDFs pass as they are, and a client that does not ask gets plain bytes."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from broadsheet.core.compression import compressible
from tests import factories as f
from tests.pictures.builders import picture
from tests.pictures.conftest import media_dirs  # noqa: F401 - the fixture, for the rendition below

pytestmark = pytest.mark.django_db


def test_pages_are_gzipped_for_browsers_that_accept_it(client: Client) -> None:
    f.publication()
    story = f.story()
    for path in ("/", story.url, "/accounts/login/", "/feed/"):
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response.status_code == 200, path
        assert response["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in response["Vary"], path
        text = gzip.decompress(response.content).decode()
        assert story.article.headline in text or "Log in" in text, path
    api = client.get("/api/openapi.json", HTTP_ACCEPT_ENCODING="gzip")
    assert api["Content-Encoding"] == "gzip" and b'"openapi"' in gzip.decompress(api.content)
    plain = client.get("/")
    assert not plain.has_header("Content-Encoding") and plain.content.startswith(b"<!doctype html>")


def test_pictures_are_not_gzipped_again(client: Client, media_dirs: object) -> None:  # noqa: F811
    pic = picture("gz")
    response = client.get(f"/media/pictures/{pic.key}-480.webp", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and not response.has_header("Content-Encoding")


def test_only_text_is_compressed() -> None:
    assert compressible("text/html; charset=utf-8") and compressible("application/json")
    assert compressible("application/rss+xml; charset=utf-8") and compressible("application/problem+json")
    assert not any(compressible(t) for t in ("image/webp", "image/jpeg", "application/pdf", "application/zip", ""))
