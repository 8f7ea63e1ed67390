"""Lists, defined by the subscription manager: name, description, cadence, sender, audience, sections."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from broadsheet.newsletters.models import Membership, NewsletterList


@admin.register(NewsletterList)
class NewsletterListAdmin(admin.ModelAdmin[NewsletterList]):
    list_display = ["name", "cadence_display", "audience", "required_benefit", "format", "members", "is_active"]
    list_filter = ["audience", "cadence", "is_active"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sections"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "is_active", "position"]}),
        ("How often", {"fields": ["cadence", "cadence_note"]}),
        ("Sender", {"fields": ["sender_name", "sender_email", "reply_to"]}),
        ("Who may receive it", {"fields": ["audience", "required_benefit"]}),
        ("Content", {"fields": ["format", "sections", "digest_size"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[NewsletterList]:
        active = Q(memberships__status=Membership.Status.ACTIVE)
        return (
            super()
            .get_queryset(request)
            .select_related("required_benefit")
            .annotate(n_members=Count("memberships", filter=active))
        )

    @admin.display(description="Subscribed", ordering="n_members")
    def members(self, obj: Any) -> int:
        return int(obj.n_members)

    @admin.display(description="Cadence")
    def cadence_display(self, obj: NewsletterList) -> str:
        return obj.cadence_display
