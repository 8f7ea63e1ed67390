"""Admin for payments (read-only) and refunds by staff.

Payments are written by billing.services; staff read them here and refund them
with the "Refund…" action, which opens a form: the amount in rupees (parsed to
integer paise without float), a reason (printed on the credit note), and when
the reader's access ends. The form carries a random token, so submitting it
twice is one refund. Refunding needs the "billing.add_refund" permission.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from broadsheet.billing.gateways.base import GatewayError
from broadsheet.billing.models import Payment, Refund
from broadsheet.billing.payments.refunds import RefundRefused, refund_issue, refundable_minor
from broadsheet.core import clock
from broadsheet.core.money import format_money
from broadsheet.core.periods import zone
from broadsheet.newsroom.selectors import publication_get

REFUND_PERMISSION = "billing.add_refund"
RUPEES = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?")


def rupees_to_paise(text: str) -> int:
    """ "₹1,234.50" → 123450: digits and at most two decimals, read as text and Decimal, never a float."""
    cleaned = text.strip().replace("₹", "").replace(",", "").replace(" ", "")
    if not RUPEES.fullmatch(cleaned):
        raise ValueError("Enter an amount in rupees with at most two decimals, e.g. 2700 or 1234.50.")
    paise = int(Decimal(cleaned) * 100)
    if paise <= 0:
        raise ValueError("Enter an amount above zero.")
    return paise


class RefundForm(forms.Form):
    NOW, PERIOD_END, ON_DATE = "now", "period_end", "date"

    amount = forms.CharField(label="Amount (₹)", max_length=20, help_text="Rupees, with paise if any: 1234.50")
    reason = forms.CharField(label="Reason", max_length=240, help_text="Printed on the credit note.")
    access_ends = forms.ChoiceField(
        label="Access ends",
        choices=[(NOW, "Now"), (PERIOD_END, "At the end of the paid period"), (ON_DATE, "At the end of a date")],
        widget=forms.RadioSelect,
        initial=NOW,
    )
    access_date = forms.DateField(label="Date", required=False, help_text="YYYY-MM-DD, with 'At the end of a date'.")
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_amount(self) -> int:
        try:
            return rupees_to_paise(self.cleaned_data["amount"])
        except ValueError as bad:
            raise forms.ValidationError(str(bad)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("access_ends") == self.ON_DATE and not data.get("access_date"):
            self.add_error("access_date", "Choose the date access ends.")
        return data


def access_end_for(form: RefundForm, payment: Payment, *, now: datetime) -> datetime:
    """The moment access ends, from the form's choice: now, the paid period's end, or the end of a local day."""
    choice = form.cleaned_data["access_ends"]
    if choice == RefundForm.PERIOD_END and payment.subscription is not None:
        return max(payment.subscription.current_period_end, now)
    if choice == RefundForm.ON_DATE:
        day = form.cleaned_data["access_date"] + timedelta(days=1)
        return datetime.combine(day, time.min, tzinfo=zone(publication_get().time_zone))
    return now


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin[Payment]):
    list_display = ["created_at", "user", "kind", "plan", "amount", "refunded", "status", "gateway"]
    list_filter = ["status", "kind", "gateway", "plan", "refund_due"]  # refund_due: paid twice for one plan
    search_fields = ["user__email", "gateway_payment_id", "idempotency_key", "checkout_session_id"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "plan"]
    actions = ["refund_action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False

    @admin.display(description="amount", ordering="amount_minor")
    def amount(self, obj: Payment) -> str:
        return format_money(obj.amount_minor, obj.currency)

    @admin.display(description="refunded", ordering="refunded_minor")
    def refunded(self, obj: Payment) -> str:
        return format_money(obj.refunded_minor, obj.currency) if obj.refunded_minor else "—"

    @admin.action(description="Refund…", permissions=["refund"])
    def refund_action(self, request: HttpRequest, queryset: QuerySet[Payment]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one payment to refund.", messages.WARNING)
            return None
        payment = queryset.get()
        return HttpResponseRedirect(reverse("admin:billing_payment_refund", args=[payment.pk]))

    def has_refund_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REFUND_PERMISSION)

    def get_urls(self) -> list[URLPattern]:
        refund = path(
            "<int:payment_id>/refund/", self.admin_site.admin_view(self.refund_view), name="billing_payment_refund"
        )
        return [refund, *super().get_urls()]

    def refund_view(self, request: HttpRequest, payment_id: int) -> HttpResponse:
        """The refund form: parse, call refund_issue once, report."""
        if not self.has_refund_permission(request):
            raise PermissionDenied
        payment = get_object_or_404(Payment.objects.select_related("user", "plan", "subscription"), pk=payment_id)
        form = RefundForm(request.POST or None, initial={"token": secrets.token_urlsafe(16)})
        if request.method == "POST" and form.is_valid():
            refund = self._refund_submit(request, form, payment)
            if refund is not None:
                amount = format_money(refund.amount_minor, payment.currency)
                self.message_user(request, f"Refunded {amount}; the credit note is issued.", messages.SUCCESS)
                listing = reverse("admin:billing_refund_changelist")
                return HttpResponseRedirect(f"{listing}?payment__id__exact={payment.pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Refund payment {payment.pk}",
            "opts": self.model._meta,
            "payment": payment,
            "form": form,
            "refundable": format_money(refundable_minor(payment), payment.currency),
        }
        return TemplateResponse(request, "billing/admin/refund_form.html", context)

    def _refund_submit(self, request: HttpRequest, form: RefundForm, payment: Payment) -> Refund | None:
        """The refund, or None with the reason added to the form."""
        now = clock.now()
        try:
            return refund_issue(
                payment_id=payment.pk,
                amount_minor=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                access_until=access_end_for(form, payment, now=now),
                by_user_id=request.user.pk,
                at=now,
                idempotency_key=form.cleaned_data["token"],
            )
        except RefundRefused as refused:
            form.add_error(None, refused.message)
        except GatewayError as failed:
            form.add_error(None, f"The gateway did not refund: {failed.message or failed}. Try again later.")
        return None


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin[Refund]):
    """Read-only: refunds are made from the payment list's "Refund…" action."""

    list_display = ["created_at", "payment", "amount", "reason", "access_until", "by", "gateway_refund_id"]
    list_filter = ["created_at"]
    search_fields = ["payment__user__email", "gateway_refund_id", "idempotency_key"]
    list_select_related = ["payment", "by"]

    @admin.display(description="amount", ordering="amount_minor")
    def amount(self, obj: Refund) -> str:
        return format_money(obj.amount_minor, obj.payment.currency)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Refund | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Refund | None = None) -> bool:
        return False
