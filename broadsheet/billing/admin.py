from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from broadsheet.billing.models import Benefit, Invoice, Plan, Subscription
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


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin[Invoice]):
    """Read-only: invoices and credit notes are issued by billing.invoices and never edited."""

    list_display = ["number", "issued_at", "buyer_email", "buyer_state", "total_minor", "payment_ref"]
    list_filter = ["series", "financial_year"]
    search_fields = ["number", "buyer_email", "payment_ref"]
    date_hierarchy = "issued_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Invoice | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Invoice | None = None) -> bool:
        return False


# The rest of billing's admin, one module per concern (imported for their @admin.register).
from broadsheet.billing import admin_gifts, admin_inbox, admin_offers, admin_payments  # noqa: E402, F401
