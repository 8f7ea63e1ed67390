from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.billing.selectors import plans_for_paywall


def subscribe(request: HttpRequest) -> HttpResponse:
    plans, benefits = plans_for_paywall()
    return render(request, "billing/subscribe.html", {"plans": plans, "benefits": benefits})
