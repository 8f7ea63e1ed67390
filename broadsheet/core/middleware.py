"""Request-wide policy: every page private unless it is one of the public documents."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

PUBLIC_PREFIXES = (
    "/static/",
    "/media/",
    "/favicon.ico",
    "/healthz",
    "/sitemap",
    "/news-sitemap",
    "/feed/",
    "/robots.txt",
)


class PrivatePagesMiddleware:
    """Marks every page private and varying by cookie unless it is one of the public documents."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PUBLIC_PREFIXES):
            return response
        if "private" in response.get("Cache-Control", ""):
            return response  # a view that chose its own private lifetime (e-paper images) keeps it
        patch_cache_control(response, private=True, no_cache=True, max_age=0)
        patch_vary_headers(response, ("Cookie",))
        return response
