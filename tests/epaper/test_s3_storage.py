"""The e-paper on S3-compatible storage (django-storages' S3 backend), against a local S3 server.

moto's server speaks the S3 protocol on 127.0.0.1: the same requests boto3 sends
to AWS or MinIO, and no network. Upload, render, serve a page image and a
clipping, replace the edition: everything through the storage API.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from broadsheet.epaper import conf
from broadsheet.epaper.models import Page
from tests import factories as f
from tests.epaper import builders as b

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
BUCKET = "paper-epaper"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_storage(settings: Any, s3_endpoint: str) -> Any:
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_endpoint,
        "access_key": "test-key",
        "secret_key": "test-secret",
        "region_name": "us-east-1",
        "location": "epaper",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "epaper": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client: Any) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_an_edition_lives_on_s3_and_is_served_through_the_paywall(
    s3_storage: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    assert conf.storage().__class__.__name__ == "S3Storage"
    f.publication()
    edition, built = b.published(2)
    printing = b.live_printing(edition)
    stored = keys(s3_storage)
    assert f"epaper/editions/{edition.date.isoformat()}/mumbai/{printing.key}/edition.pdf" in stored
    assert len([k for k in stored if k.endswith(".webp")]) == 4  # two pages, two sizes
    acl = s3_storage.get_object_acl(Bucket=BUCKET, Key=stored[0])
    assert not [g for g in acl["Grants"] if g["Grantee"].get("URI", "").endswith("AllUsers")]  # private objects

    client.force_login(b.epaper_subscriber())
    page = Page.objects.get(printing=printing, number=2)
    image = client.get(f"/epaper/p/{printing.key}/2.webp")
    assert image.status_code == 200 and b"".join(image.streaming_content)[:4] == b"RIFF"  # type: ignore[attr-defined]
    assert built.tokens[1] in page.text
    made = client.post(f"{edition.get_absolute_url()[:-2]}2/clip/", {"left": 0, "top": 0, "width": 0.5, "height": 0.3})
    assert made.status_code == 201 and any(k.startswith("epaper/clippings/") for k in keys(s3_storage))
    assert Client().get(f"/epaper/p/{printing.key}/2.webp").status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        b.published(3, day=edition.date)  # the corrected edition replaces it; the old files go
    assert not [k for k in keys(s3_storage) if printing.key in k]
