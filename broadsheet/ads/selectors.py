"""Which ad snippets a page carries, and whether this reader sees ads at all."""

from __future__ import annotations

from django.http import HttpRequest

from broadsheet.ads.models import AdSlot
from broadsheet.billing.entitlements import holds_benefit
from broadsheet.core import clock
from broadsheet.core.generations import GenerationCache

AD_FREE_BENEFIT = "ad_free"
# Pages where a reader signs in, pays or manages an account carry no advertising for anyone.
NO_AD_PREFIXES = ("/accounts/", "/account/", "/billing/", "/subscribe/", "/gift/", "/gifts/", "/admin/")
_slots: GenerationCache[dict[str, str]] = GenerationCache("ads", maxsize=2)


def active_snippets() -> dict[str, str]:
    """place → snippet for every active slot (per process, until a slot is edited)."""
    return _slots.get("active", lambda: dict(AdSlot.objects.filter(active=True).values_list("place", "snippet")))


def reader_sees_ads(request: HttpRequest) -> bool:
    """False for readers who hold the ad-free benefit: one cached entitlement lookup."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return True
    return not holds_benefit(user_id=user.pk, benefit=AD_FREE_BENEFIT, at=clock.now())


def page_ads(request: HttpRequest) -> dict[str, str]:
    """The snippets this request's page may carry: none at all for an ad-free reader."""
    cached: dict[str, str] | None = getattr(request, "_broadsheet_ads", None)
    if cached is None:
        ads_here = not request.path.startswith(NO_AD_PREFIXES) and reader_sees_ads(request)
        cached = active_snippets() if ads_here else {}
        request._broadsheet_ads = cached  # type: ignore[attr-defined]
    return cached
