"""An HTTP source is polled with a conditional GET against a local server (never the network)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from broadsheet.wire.models import WireSource
from tests.wire.conftest import FIXTURES, Desk

pytestmark = pytest.mark.django_db


class Feed(BaseHTTPRequestHandler):
    body = (FIXTURES / "atom" / "pns-feed.xml").read_bytes()
    etag = '"v1"'
    requests: list[dict[str, str]] = []

    def do_GET(self) -> None:
        Feed.requests.append({k: v for k, v in self.headers.items()})
        if self.headers.get("If-None-Match") == Feed.etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/atom+xml")
        self.send_header("ETag", Feed.etag)
        self.send_header("Content-Length", str(len(Feed.body)))
        self.end_headers()
        self.wfile.write(Feed.body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Feed.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/feed.atom"
    httpd.shutdown()
    httpd.server_close()


def test_polling_uses_the_etag_and_a_304_changes_nothing(desk: Desk, server: str) -> None:
    desk.source.kind = WireSource.Kind.HTTP
    desk.source.location = server
    desk.source.save()
    first = desk.ingest()
    assert dict(first.items) == {"published": 2, "updated": 1, "killed": 1}
    desk.source.refresh_from_db()
    assert desk.source.etag == '"v1"'
    second = desk.ingest()
    assert Feed.requests[-1].get("If-None-Match") == '"v1"'
    assert dict(second.files) == {"not modified": 1} and not second.items


def test_a_server_that_ignores_the_etag_sends_the_same_bytes_and_nothing_changes(desk: Desk, server: str) -> None:
    desk.source.kind = WireSource.Kind.HTTP
    desk.source.location = server
    desk.source.save()
    desk.ingest()
    WireSource.objects.filter(pk=desk.source.pk).update(etag="")
    assert dict(desk.ingest().files) == {"already ingested": 1}


def test_an_unreachable_server_is_recorded(desk: Desk) -> None:
    desk.source.kind = WireSource.Kind.HTTP
    desk.source.location = "http://127.0.0.1:9/feed"
    desk.source.save()
    tally = desk.ingest()
    assert tally.errors and not tally.items
