"""Whole-response caching for public documents, dropped when their rows change."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from broadsheet.core import clock
from broadsheet.core.generations import GenerationCache

_responses: GenerationCache[tuple[bytes, str, int]] = GenerationCache("newsroom", maxsize=256)


def public_document(seconds: int) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Cache a public, reader-independent GET response (feed, sitemaps) per process.

    A newsroom write (a new story, an edit, a kill) drops it at once; the time
    bucket makes scheduled stories appear within `seconds` of their time.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "GET":
                return view(request, *args, **kwargs)
            bucket = int(clock.now().timestamp()) // seconds
            key = (request.get_full_path(), bucket)

            def build() -> tuple[bytes, str, int]:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
                return response.content, response["Content-Type"], response.status_code

            content, content_type, status = _responses.get(key, build)
            response = HttpResponse(content, content_type=content_type, status=status)
            response["Cache-Control"] = f"public, max-age={min(seconds, 60)}"
            return response

        return wrapper

    return decorator
