from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path

from broadsheet.api.problems import CODES
from broadsheet.api.site import build

api = build()


def problem_type(request: HttpRequest, code: str) -> JsonResponse:
    """What a problem's `type` points at: its status and title (docs/api.md explains each)."""
    if code not in CODES:
        raise Http404
    status, title = CODES[code]
    return JsonResponse({"code": code, "status": status, "title": title, "docs": "docs/api.md#errors"})


urlpatterns = [
    path("problems/<slug:code>", problem_type, name="api_problem_type"),
    path("", api.urls),
]
