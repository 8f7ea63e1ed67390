"""Subscribers and deliveries: looked up, not edited by hand (changes go through the reader's links)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from broadsheet.newsletters.models import Delivery, Membership, Subscriber


class MembershipInline(admin.TabularInline[Membership, Subscriber]):
    model = Membership
    extra = 0
    fields = ("newsletter", "status", "source", "created_at", "subscribed_at", "unsubscribed_at", "unsubscribed_via")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin[Subscriber]):
    list_display = ["email", "user", "confirmed_at", "bounced_at", "created_at"]
    list_filter = (("confirmed_at", admin.EmptyFieldListFilter), ("bounced_at", admin.EmptyFieldListFilter))
    search_fields = ["email", "user__email"]
    readonly_fields = ["email", "user", "created_at", "confirmed_at", "confirm_sent_at", "bounced_at", "bounce_reason"]
    exclude = ["confirm_nonce"]
    inlines = [MembershipInline]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ["to_address", "issue", "status", "kind", "attempts", "sent_at", "reply"]
    list_filter = ["status", "issue__newsletter", "kind"]
    search_fields = ["to_address", "issue__subject"]
    list_select_related = ["issue__newsletter"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
