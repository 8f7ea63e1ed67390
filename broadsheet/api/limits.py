"""Rate limits on every API request: per token and per client address.

A fixed window per limit: one atomic `incr` on a cache counter that expires with
its window (Redis with REDIS_URL, so every worker shares the count; without Redis
each process counts alone, so the limit is per worker). Over the limit the answer
is 429 `rate_limited` with `Retry-After`: the seconds until the window turns.

The token limit counts by the token's hash whether or not the token is valid, so
guessing tokens is limited too; the address limit covers everything from one address.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from broadsheet.api import conf
from broadsheet.api.problems import Problem, problem_response
from broadsheet.core.addresses import client_ip
from broadsheet.core.nul_bytes import request_holds_nul

PREFIX = "bs:api-rate"


@dataclass(frozen=True, slots=True)
class Window:
    index: int  # which window `now` falls in
    retry_after: int  # whole seconds until the next one starts (at least 1)


def window_at(now: float, seconds: int) -> Window:
    """The fixed window holding `now` (epoch seconds), and how long until it ends."""
    index = int(now // seconds)
    return Window(index=index, retry_after=max(1, math.ceil((index + 1) * seconds - now)))


def count(scope: str, ident: str, *, window: Window, seconds: int) -> int:
    """Count one request under (scope, ident) in this window; returns the count so far."""
    key = f"{PREFIX}:{scope}:{ident}:{window.index}"
    if cache.add(key, 1, seconds + 1):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds + 1)
        return 1


def over_limit(request: HttpRequest) -> int | None:
    """Count this request against its limits; the seconds to wait if it is over one, else None."""
    seconds = conf.rate_window_seconds()
    window = window_at(time.time(), seconds)
    checks: list[tuple[str, str, int]] = []
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    per_token, per_address = conf.rate_per_token(), conf.rate_per_address()
    if auth and per_token > 0:
        checks.append(("token", hashlib.sha256(auth.encode()).hexdigest()[:32], per_token))
    if per_address > 0:
        checks.append(("addr", client_ip(request) or "unknown", per_address))
    for scope, ident, limit in checks:
        if count(scope, ident, window=window, seconds=seconds) > limit:
            return window.retry_after
    return None


def api_request(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps every operation (ninja "view" mode, before auth): rate limits, NUL characters
    refused (the database cannot hold them), then token-only identity.

    The API reads who is asking from the Authorization header alone: a browser's session
    cookie never signs an API request in (so no request can ride on it: no CSRF)."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = over_limit(request)
        if wait is not None:
            response = problem_response(request, Problem("rate_limited", headers={"Retry-After": str(wait)}))
        elif request_holds_nul(request):
            response = problem_response(request, Problem("invalid_request", "Text may not hold NUL characters."))
        else:
            if "HTTP_AUTHORIZATION" not in request.META:
                request.user = AnonymousUser()
            response = run(request, *args, **kwargs)
        patch_vary_headers(response, ("Authorization",))
        return response

    return wrapper
