"""Rendition files served by this process when no web server or CDN does (the demo, a small site).

The files are written once at upload and named by the picture's key, so they are
cached for a year as immutable. Only `pictures/` is served: the originals live in
another storage that no URL reaches.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLPattern, re_path
from django.views.static import serve

YEAR = 365 * 24 * 3600


def rendition(request: HttpRequest, path: str) -> HttpResponseBase:
    response = serve(request, f"pictures/{path}", document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


def media_patterns() -> list[URLPattern]:
    if not settings.BROADSHEET_SERVE_MEDIA or not settings.MEDIA_URL.startswith("/"):
        return []
    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(rf"^{prefix}pictures/(?P<path>[0-9a-f]{{16,32}}-\d+\.(?:webp|jpg))$", rendition, name="rendition")]
