"""Everything under /billing/: checkout and the hosted test pages, gateway webhooks, gifts and groups."""

from __future__ import annotations

from broadsheet.billing import checkout_urls, gift_urls, webhook_urls

urlpatterns = [*checkout_urls.urlpatterns, *webhook_urls.urlpatterns, *gift_urls.urlpatterns]
