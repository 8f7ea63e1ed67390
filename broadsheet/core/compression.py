"""Pages, feeds and API answers are sent gzipped to clients that accept it; pictures, PDFs and
already-compressed static files pass untouched.

Django's GZipMiddleware compresses any body, whatever its type; this one only text. Django
pads each gzip stream with random bytes against BREACH, and CSRF tokens are masked per
response, so compressing pages that carry a form is safe. A proxy or CDN in front that
compresses on its own sees `Content-Encoding` and leaves the body alone.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware

TEXT_TYPES: tuple[str, ...] = (
    "text/",
    "application/json",
    "application/problem+json",
    "application/ld+json",
    "application/manifest+json",
    "application/javascript",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
)


def compressible(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower().startswith(TEXT_TYPES)


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not compressible(response.get("Content-Type", "")):
            return response
        compressed: HttpResponseBase = super().process_response(request, response)
        return compressed
