"""URLs of gifts and group licences (under /billing/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from broadsheet.billing import gift_views

urlpatterns: list[URLPattern] = [
    path("gifts/buy/<slug:plan_slug>/", gift_views.gift_buy, name="gift_buy"),
    path("gifts/<int:gift_id>/sent/", gift_views.gift_sent, name="gift_sent"),
    path("gifts/redeem/", gift_views.gift_redeem, name="gift_redeem"),
    path("groups/join/", gift_views.group_join, name="group_join"),
    path("groups/<int:org_id>/leave/", gift_views.group_leave, name="group_leave"),
]
