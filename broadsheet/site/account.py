from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.models import Subscription
from broadsheet.core import clock
from broadsheet.core.periods import meter_period
from broadsheet.newsroom.selectors import publication_get
from broadsheet.paywall.meter import meter_store_get


@login_required
def account(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    user_id: int = request.user.pk  # type: ignore[assignment]  # login_required: never None
    publication = publication_get()
    subscriptions = Subscription.objects.filter(user_id=user_id).select_related("plan").order_by("-current_period_end")
    held = benefits_of(user_id=user_id, at=now)
    used = meter_store_get().usage(reader_key=f"u:{user_id}", period=meter_period(now, publication.time_zone))
    return render(
        request,
        "readers/account.html",
        {
            "subscriptions": subscriptions,
            "benefits": sorted(held),
            "meter_used": used,
            "meter_limit": publication.registered_free_limit,
            "now": now,
        },
    )
