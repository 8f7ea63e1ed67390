"""Admin for offers: codes as subscription managers set them up, with their uses read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from broadsheet.billing.models import Offer, OfferRedemption


class OfferRedemptionInline(admin.TabularInline[OfferRedemption, Offer]):
    """Who used the code and how it went: written by checkout and payments, never by hand."""

    model = OfferRedemption
    fields = ["user", "payment", "status", "created_at"]
    readonly_fields = ["user", "payment", "status", "created_at"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Offer | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Offer | None = None) -> bool:
        return False


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin[Offer]):
    list_display = ["code", "kind", "value", "max_uses", "used", "valid_from", "valid_until", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "description"]
    filter_horizontal = ["plans"]
    readonly_fields = ["used"]
    fields = [
        "code",
        "description",
        "kind",
        "value",
        "plans",
        "valid_from",
        "valid_until",
        "max_uses",
        "used",
        "is_active",
    ]
    inlines = [OfferRedemptionInline]
