"""Errors as problem details (RFC 9457), each with a stable `code`.

Every error the API returns is `application/problem+json`:

    {"type": "/api/problems/token_revoked", "title": "This device has been signed out",
     "status": 401, "code": "token_revoked", "detail": "…"}

Apps switch on `code` (the table below is the whole list, and docs/api.md explains each);
`title` and `detail` are for people. Some problems carry more members (`errors`, `devices`).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema
from pydantic import ConfigDict

MEDIA_TYPE = "application/problem+json"

# code: (HTTP status, title). Codes are a contract: add new ones, never rename one.
CODES: dict[str, tuple[int, str]] = {
    "bad_request": (400, "The request could not be read"),
    "invalid_cursor": (400, "This cursor is not valid (start again from the first page)"),
    "not_signed_in": (401, "Log in to use this"),
    "token_invalid": (401, "This token is not valid"),
    "token_revoked": (401, "This device has been signed out"),
    "token_expired": (401, "This log-in has expired: log in again"),
    "invalid_credentials": (401, "Wrong e-mail address or password"),
    "email_unverified": (403, "Confirm your e-mail address first"),
    "not_entitled": (403, "Your plan does not include this"),
    "not_found": (404, "Not found"),
    "method_not_allowed": (405, "Method not allowed"),
    "device_limit": (409, "You are signed in on as many devices as your plan allows"),
    "idempotency_in_progress": (409, "A request with this Idempotency-Key is still being processed"),
    "withdrawn": (410, "This story has been withdrawn"),
    "invalid_request": (422, "The request is not valid"),
    "idempotency_key_reused": (422, "This Idempotency-Key was used for a different request"),
    "too_many_attempts": (429, "Too many sign-in attempts: wait a few minutes"),
    "rate_limited": (429, "Too many requests: slow down"),
    "internal_error": (500, "Something went wrong on our side"),
    "search_too_slow": (503, "This search took too long"),
}


class ProblemOut(Schema):
    """A problem detail (RFC 9457). Extra members depend on the code."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    code: str
    detail: str | None = None
    instance: str | None = None


class Problem(Exception):
    """Raise anywhere in an endpoint to answer with this problem."""

    def __init__(self, code: str, detail: str = "", *, headers: dict[str, str] | None = None, **extra: Any) -> None:
        if code not in CODES:
            raise ValueError(f"unknown problem code {code!r}")
        super().__init__(code)
        self.code = code
        self.status, self.title = CODES[code]
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra

    def body(self, request: HttpRequest | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"type": f"/api/problems/{self.code}", "title": self.title, "status": self.status}
        data["code"] = self.code
        if self.detail:
            data["detail"] = self.detail
        if request is not None:
            data["instance"] = request.path
        data.update(self.extra)
        return data


def problem_response(request: HttpRequest | None, problem: Problem) -> HttpResponse:
    response = HttpResponse(
        json.dumps(problem.body(request), ensure_ascii=False, default=str),
        status=problem.status,
        content_type=MEDIA_TYPE,
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response


def responses(*statuses: int) -> dict[int, type[ProblemOut]]:
    """The problem responses an operation documents: the ones it names, plus 422 and 429,
    which any operation can answer (a malformed request, a rate limit)."""
    return {status: ProblemOut for status in sorted({*statuses, 422, 429})}
