"""Times on pages in the publication's time zone: the publication's own request-wide policy."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from broadsheet.core.periods import zone
from broadsheet.newsroom.selectors import publication_get


class PublicationTimeZoneMiddleware:
    """Times on pages are shown in the publication's time zone (Asia/Kolkata by default)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(("/static/", "/media/", "/healthz")):
            return self.get_response(request)
        timezone.activate(zone(publication_get().time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
