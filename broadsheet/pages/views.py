from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from broadsheet.pages.models import StandingPage
from broadsheet.pages.selectors import page_body, page_by_kind


@require_GET
def standing_page(request: HttpRequest, kind: str) -> HttpResponse:
    page = page_by_kind(kind)
    if page is None:
        raise Http404("No such page")
    context = {
        "page": page,
        "body": page_body(page),
        "is_grievance": page.kind == StandingPage.Kind.GRIEVANCE,
        "canonical_url": settings.SITE_URL + page.get_absolute_url(),
    }
    return render(request, "pages/standing_page.html", context)
