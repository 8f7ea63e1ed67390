"""The official Stripe and Razorpay SDKs, offline: their HTTP transport answers from canned JSON.

The SDK code (request building, response parsing, error mapping) runs as it
does in production; only the bytes on the wire are ours. A request nobody
canned fails the test, and no socket is opened.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlparse

import pytest
import requests
import stripe
from requests.adapters import BaseAdapter

Answer = tuple[int, Any]  # (HTTP status, JSON body)
Route = Callable[[str, str, str], Answer]  # (method, path, body) -> answer


class Canned:
    """Routes by (method, path regex); every request is kept in `seen`."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Answer | Route]] = []
        self.seen: list[tuple[str, str]] = []

    def on(self, method: str, path: str, answer: Answer | Route) -> None:
        self.routes.insert(0, (method.upper(), re.compile(path + "$"), answer))

    def answer(self, method: str, url: str, body: str) -> Answer:
        path = urlparse(url).path
        self.seen.append((method.upper(), path))
        for want, pattern, answer in self.routes:
            if want == method.upper() and pattern.match(path):
                return answer(method, path, body) if callable(answer) else answer
        raise AssertionError(f"no canned answer for {method} {path}")

    def count(self, method: str, path: str) -> int:
        pattern = re.compile(path + "$")
        return sum(1 for m, p in self.seen if m == method.upper() and pattern.match(p))


class _StripeTransport(stripe.HTTPClient):
    name = "canned"

    def __init__(self, canned: Canned) -> None:
        super().__init__()
        self.canned = canned

    def request(self, method: str, url: str, headers: Mapping[str, str] | None, post_data: Any = None, **_: Any) -> Any:
        status, body = self.canned.answer(method, url, post_data or "")
        return json.dumps(body), status, {"Request-Id": "req_canned"}

    def close(self) -> None:
        pass


def stripe_offline(monkeypatch: pytest.MonkeyPatch) -> Canned:
    canned = Canned()
    monkeypatch.setattr(stripe, "default_http_client", _StripeTransport(canned))
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    return canned


class _RazorpayAdapter(BaseAdapter):
    def __init__(self, canned: Canned) -> None:
        super().__init__()
        self.canned = canned

    def send(  # type: ignore[override]  # the adapter answers every request alike
        self, request: requests.PreparedRequest, **_: Any
    ) -> requests.Response:
        body = request.body.decode() if isinstance(request.body, bytes) else (request.body or "")
        status, answer = self.canned.answer(request.method or "GET", request.url or "", body)
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(answer).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


def razorpay_offline(monkeypatch: pytest.MonkeyPatch) -> Canned:
    """Every requests.Session the Razorpay client makes sends to the canned routes."""
    canned = Canned()
    original = requests.Session.__init__

    def init(self: requests.Session, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.mount("https://", _RazorpayAdapter(canned))
        self.mount("http://", _RazorpayAdapter(canned))

    monkeypatch.setattr(requests.Session, "__init__", init)
    return canned
