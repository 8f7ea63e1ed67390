from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from broadsheet.billing.models import Benefit, Plan, Subscription
from broadsheet.core import generations


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin[Benefit]):
    list_display = ["name", "code", "position"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ["name", "price_display", "period_display", "per_month_display", "is_active", "display_order"]
    filter_horizontal = ["benefits"]
    prepopulated_fields = {"slug": ["name"]}

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        generations.bump("plans")  # the benefits a plan grants are a many-to-many: saved after the row


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    list_display = ["user", "plan", "status", "current_period_start", "current_period_end", "auto_renew"]
    list_filter = ["status", "plan"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
