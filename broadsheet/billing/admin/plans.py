from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from broadsheet.billing.models import Benefit, Invoice, LedgerEntry, Payment, Plan, Subscription
from broadsheet.billing.subscriptions.plan_prices import plan_price_change
from broadsheet.core import clock, generations


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin[Benefit]):
    list_display = ["name", "code", "position"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ["name", "price_display", "period_display", "per_month_display", "is_active", "display_order"]
    filter_horizontal = ["benefits"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj: Plan, form: Any, change: bool) -> None:
        """A new price on an existing plan goes through `plan_price_change` (renewals follow after notice)."""
        if not change or "price_minor" not in form.changed_data:
            super().save_model(request, obj, form, change)
            return
        new_price = obj.price_minor
        obj.price_minor = form.initial["price_minor"]
        super().save_model(request, obj, form, change)
        price_change = plan_price_change(
            plan_id=obj.pk, new_price_minor=new_price, at=clock.now(), actor=f"staff:{request.user.pk}"
        )
        obj.price_minor = new_price
        if price_change is not None:
            self.message_user(
                request,
                f"New purchases pay {obj.price_display} now; renewals from "
                f"{price_change.renewals_from:%d %B %Y}. Subscribers who renew are being told by e-mail.",
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        generations.bump("plans")  # the benefits a plan grants are a many-to-many: saved after the row


class _ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LedgerInline(_ReadOnlyInline):
    """The subscription's append-only ledger: every transition, oldest first."""

    model = LedgerEntry
    fields = ("at", "what", "from_status", "to_status", "period", "amount_minor", "actor", "reason", "event_id", "noop")
    readonly_fields = fields
    ordering = ["id"]


class PaymentInline(_ReadOnlyInline):
    model = Payment
    fk_name = "subscription"
    fields = ("created_at", "kind", "period", "attempt", "amount_minor", "status", "gateway_payment_id", "message")
    readonly_fields = fields


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    list_display = ["user", "plan", "status", "current_period_start", "current_period_end", "auto_renew"]
    list_filter = ["status", "plan"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    inlines = [PaymentInline, LedgerInline]


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
