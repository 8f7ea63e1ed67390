"""Gateway webhooks: one endpoint per configured gateway, /billing/webhooks/<gateway>/."""

from __future__ import annotations

from django.urls import URLPattern, path

from broadsheet.billing import webhook_views

urlpatterns: list[URLPattern] = [
    path("webhooks/<str:gateway>/", webhook_views.gateway_webhook, name="billing_webhook"),
]
