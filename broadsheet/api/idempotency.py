"""`Idempotency-Key` on writes: a retried request gets the first one's answer, never a second effect.

    @router.post("/things", ...)
    @decorate_view(idempotent())
    def thing_create(request, ...): ...

With the header, the first request claims the key (a unique row, so of two parallel
requests with one key exactly one runs; the other gets 409 `idempotency_in_progress`),
runs, and its response is stored. A retry with the same key and the same body gets that
response again with `Idempotent-Replayed: true`; the same key with another body is 422
`idempotency_key_reused`. A 5xx or 429 is not stored, so the retry runs for real.

A response member named in `redact` (a token) is never stored: `replay` rebuilds it
from what was stored (e.g. a fresh token for the same device).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from broadsheet.api import conf
from broadsheet.api.models import IdempotencyRecord
from broadsheet.api.problems import Problem, problem_response
from broadsheet.core import clock
from broadsheet.core.addresses import client_ip

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
Replay = Callable[[HttpRequest, dict[str, Any]], dict[str, Any] | None]


def _actor(request: HttpRequest) -> str:
    holder = getattr(request, "app_token", None)
    return f"device:{holder.device_id}" if holder is not None else f"addr:{client_ip(request) or 'unknown'}"


def _digest(*parts: str | bytes) -> str:
    mac = hmac.new(settings.SECRET_KEY.encode(), digestmod=hashlib.sha256)
    for part in parts:
        mac.update(part if isinstance(part, bytes) else part.encode())
        mac.update(b"\0")
    return mac.hexdigest()


def _claim(scope: str, fingerprint: str) -> tuple[IdempotencyRecord, bool]:
    now = clock.now()
    IdempotencyRecord.objects.filter(created_at__lt=now - timedelta(hours=conf.idempotency_hours())).delete()
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(scope=scope, fingerprint=fingerprint, created_at=now), True
    except IntegrityError:
        return IdempotencyRecord.objects.get(scope=scope), False


def _store(record: IdempotencyRecord, response: HttpResponse, redact: tuple[str, ...]) -> None:
    body = response.content.decode()
    if redact and body:
        data = json.loads(body)
        for name in redact:
            data.pop(name, None)
        body = json.dumps(data)
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=body,
        completed_at=clock.now(),
    )


def _replayed(request: HttpRequest, record: IdempotencyRecord, replay: Replay | None) -> HttpResponse:
    body = record.body
    if replay is not None and body:
        rebuilt = replay(request, json.loads(body))
        if rebuilt is None:  # what the first request made is gone (e.g. that device was signed out)
            raise Problem("idempotency_key_reused", "What the first request created no longer exists.")
        body = json.dumps(rebuilt)
    response = HttpResponse(body, status=record.status_code or 200, content_type=record.content_type or None)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(*, redact: tuple[str, ...] = (), replay: Replay | None = None) -> Callable[..., Any]:
    def decorator(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(run)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = request.headers.get(HEADER)
            if key is None:
                return run(request, *args, **kwargs)
            if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
                return problem_response(
                    request, Problem("bad_request", f"{HEADER} must be 1 to 255 visible characters.")
                )
            scope = _digest(_actor(request), request.method or "", request.path, key)
            record, created = _claim(scope, _digest(request.body))
            if not created:
                try:
                    if not hmac.compare_digest(record.fingerprint, _digest(request.body)):
                        raise Problem("idempotency_key_reused")
                    if record.completed_at is None:
                        raise Problem("idempotency_in_progress", headers={"Retry-After": "1"})
                    return _replayed(request, record, replay)
                except Problem as problem:
                    return problem_response(request, problem)
            try:
                response = run(request, *args, **kwargs)
            except BaseException:
                IdempotencyRecord.objects.filter(pk=record.pk).delete()
                raise
            if response.status_code >= 500 or response.status_code == 429:
                IdempotencyRecord.objects.filter(pk=record.pk).delete()
            else:
                _store(record, response, redact)
            return response

        return wrapper

    return decorator
