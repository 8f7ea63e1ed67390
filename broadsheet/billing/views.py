from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def subscribe(request: HttpRequest) -> HttpResponse:
    next_path = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_path, allowed_hosts=None):
        next_path = ""
    return render(request, "billing/subscribe.html", {"next": next_path, "chosen": request.GET.get("plan", "")})
