"""The API's article reads under load, next to the web's (same server, same run).

- api-entitled: the subscriber's device token on the premium article: token lookup,
  entitlement, full text as JSON.
- api-metered: registered readers' device tokens (no plan) rotating over the metered
  articles, a token per wrk thread and lap, so every request is a new counted view
  through the same meter service as the web.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class ApiLoad:
    name: str
    label: str
    path: str
    headers: list[str] = field(default_factory=list)
    paths: list[str] | None = None
    tokens: list[str] | None = None
    warm_tokens: list[str] | None = None  # the warm-up's readers: never the measured run's
    expect: list[str] = field(default_factory=list)
    forbid: list[str] = field(default_factory=list)
    probe_ok: bool = False
    probe: str = ""


def _get(port: int, path: str, token: str) -> tuple[int, dict[str, object]]:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}", "User-Agent": "broadsheet-bench/probe"})
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"{}")
    finally:
        conn.close()


def loads(port: int, data: dict[str, object]) -> list[ApiLoad]:
    """The two API scenarios, each probed once by hand."""
    premium = str(data["api_premium_path"])
    premium_last = str(data["premium_last"])
    metered = [str(p) for p in data["api_metered_paths"]]  # type: ignore[attr-defined]
    readers = [str(t) for t in data["reader_tokens"]]  # type: ignore[attr-defined]
    entitled = ApiLoad(
        "api-entitled",
        "API: subscriber token on premium article",
        premium,
        headers=[f"Authorization: Bearer {data['subscriber_token']}", "User-Agent: broadsheet-bench/wrk"],
        expect=['"open": true', premium_last],
        forbid=['"offer": {'],
    )
    status, body = _get(port, premium, str(data["subscriber_token"]))
    ok = status == 200 and body.get("open") is True and premium_last in str(body.get("body_html"))
    entitled.probe_ok, entitled.probe = ok, f"{'ok' if ok else 'FAILED'}: {status}, open={body.get('open')}"
    counted = ApiLoad(
        "api-metered",
        "API: registered reader tokens, metered (new counted view per request)",
        metered[0],
        paths=metered,
        tokens=readers[6:],
        warm_tokens=readers[1:6],  # the first one is the probe's
        expect=['"open": true', '"reason": "under_limit"'],
        forbid=['"offer": {'],
    )
    status, body = _get(port, metered[0], readers[0])
    ok = status == 200 and body.get("open") is True and body.get("reason") == "under_limit"
    counted.probe_ok, counted.probe = ok, f"{'ok' if ok else 'FAILED'}: {status}, reason={body.get('reason')}"
    return [entitled, counted]
