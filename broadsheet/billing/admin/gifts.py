"""Admin for gifts and group licences.

Gifts are written by billing.gifts (bought, paid, redeemed, refunded): staff may
read them and extend a code's `redeem_by`, nothing else. Organisations are edited
here with their networks (validated as strict CIDR by the model's clean) and
their seats, which staff may release but not add: seats are taken by readers
with the join code, under the seat limit (billing.groups.seat_take).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from broadsheet.billing.models import Gift, Organisation, OrganisationNetwork, OrganisationSeat


@admin.register(Gift)
class GiftAdmin(admin.ModelAdmin[Gift]):
    list_display = ["code", "plan", "buyer", "recipient_email", "status", "created_at", "redeem_by", "redeemed_by"]
    list_filter = ["status", "plan"]
    search_fields = ["code", "recipient_email", "buyer__email", "redeemed_by__email"]
    date_hierarchy = "created_at"
    fields = (
        "code",
        "status",
        "plan",
        "buyer",
        "buyer_name",
        "buyer_state",
        "recipient_email",
        "recipient_name",
        "message",
        "created_at",
        "redeem_by",
        "redeemed_by",
        "redeemed_at",
        "subscription",
    )
    readonly_fields = tuple(name for name in fields if name != "redeem_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # gifts are bought, with money: billing.gifts.gift_checkout_start

    def has_delete_permission(self, request: HttpRequest, obj: Gift | None = None) -> bool:
        return False


class NetworkInline(admin.TabularInline[OrganisationNetwork, Organisation]):
    model = OrganisationNetwork
    extra = 1
    fields = ["cidr", "note"]


class SeatInline(admin.TabularInline[OrganisationSeat, Organisation]):
    """Seat holders; deleting a row releases the seat (readers take seats with the join code)."""

    model = OrganisationSeat
    extra = 0
    fields = ["user", "taken_at"]
    readonly_fields = ["user", "taken_at"]
    verbose_name_plural = "seat holders (tick delete to release a seat)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = [
        "name",
        "plan",
        "seats",
        "seats_used",
        "seats_left",
        "networks",
        "starts_at",
        "ends_at",
        "is_active",
    ]
    list_filter = ["is_active", "plan"]
    search_fields = ["name", "join_code", "contact_email"]
    inlines = [NetworkInline, SeatInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return (
            super()
            .get_queryset(request)
            .select_related("plan")
            .annotate(
                _seats_used=Count("seat_holders", distinct=True),
                _networks=Count("networks", distinct=True),
            )
        )

    @admin.display(description="seats used", ordering="_seats_used")
    def seats_used(self, obj: Organisation) -> int:
        return int(getattr(obj, "_seats_used", 0))

    @admin.display(description="seats left")
    def seats_left(self, obj: Organisation) -> int:
        return max(obj.seats - self.seats_used(obj), 0)

    @admin.display(description="IP ranges", ordering="_networks")
    def networks(self, obj: Organisation) -> int:
        return int(getattr(obj, "_networks", 0))
