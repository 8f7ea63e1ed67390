"""Request-wide policies: the publication's time zone, and private pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from broadsheet.core.periods import zone

PUBLIC_PREFIXES = ("/static/", "/healthz", "/sitemap", "/news-sitemap", "/feed/", "/robots.txt")


class PublicationTimeZoneMiddleware:
    """Times on pages are shown in the publication's time zone (Asia/Kolkata by default)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from broadsheet.newsroom.selectors import publication_get

        if request.path.startswith(("/static/", "/healthz")):
            return self.get_response(request)
        timezone.activate(zone(publication_get().time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class PrivatePagesMiddleware:
    """Marks every page private and varying by cookie unless it is one of the public documents."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PUBLIC_PREFIXES):
            return response
        patch_cache_control(response, private=True, no_cache=True, max_age=0)
        patch_vary_headers(response, ("Cookie",))
        return response
