"""The subscription manager's desk: pools with their stock, CSV uploads, codes, the audit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from broadsheet.partners.models import PartnerAudit, PartnerCode, PartnerPool
from broadsheet.partners.services import pool_import_csv


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="One code or link per row in the first column; UTF-8.")


@admin.register(PartnerPool)
class PartnerPoolAdmin(admin.ModelAdmin[PartnerPool]):
    list_display = [
        "partner_name",
        "active",
        "expires_at",
        "remaining",
        "claimed",
        "low_stock_threshold",
        "alerted_at",
    ]
    list_filter = ["active"]
    search_fields = ["partner_name"]
    readonly_fields = ["alerted_at", "created_at", "stock"]
    change_form_template = "partners/admin/pool_change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[PartnerPool]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_remaining=Count("codes", filter=Q(codes__claimed_at__isnull=True)),
                n_claimed=Count("codes", filter=Q(codes__claimed_at__isnull=False)),
            )
        )

    @admin.display(description="Remaining", ordering="n_remaining")
    def remaining(self, obj: PartnerPool) -> int:
        return int(getattr(obj, "n_remaining", 0))

    @admin.display(description="Claimed", ordering="n_claimed")
    def claimed(self, obj: PartnerPool) -> int:
        return int(getattr(obj, "n_claimed", 0))

    @admin.display(description="Stock")
    def stock(self, obj: PartnerPool) -> str:
        if obj.pk is None:
            return "Save the pool, then upload its codes."
        return f"{self.remaining(obj)} remaining, {self.claimed(obj)} claimed"

    def get_urls(self) -> list[URLPattern]:
        upload = self.admin_site.admin_view(self.upload_view)
        return [path("<int:object_id>/upload/", upload, name="partners_partnerpool_upload"), *super().get_urls()]

    def upload_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        pool = get_object_or_404(PartnerPool, pk=object_id)
        if not self.has_change_permission(request, pool):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            report = pool_import_csv(pool=pool, file=form.cleaned_data["file"], actor=request.user)
            level = messages.SUCCESS if report.ok else messages.ERROR
            self.message_user(request, f"{pool.partner_name}: {report.summary()}", level)
            if report.ok:
                return HttpResponseRedirect(reverse("admin:partners_partnerpool_change", args=[pool.pk]))
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "pool": pool,
            "form": form,
            "title": f"Upload codes for {pool.partner_name}",
        }
        return TemplateResponse(request, "partners/admin/upload_csv.html", context)


@admin.register(PartnerCode)
class PartnerCodeAdmin(admin.ModelAdmin[PartnerCode]):
    """Codes come from CSV uploads and leave by claims: nothing here edits them."""

    list_display = ["code", "pool", "claimed_by", "claimed_at"]
    list_filter = ["pool", ("claimed_at", admin.EmptyFieldListFilter)]
    search_fields = ["claimed_by__email", "code"]
    list_select_related = ["pool", "claimed_by"]
    readonly_fields = ["pool", "code", "claimed_by", "claimed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PartnerCode | None = None) -> bool:
        return False


@admin.register(PartnerAudit)
class PartnerAuditAdmin(admin.ModelAdmin[PartnerAudit]):
    """Append-only: readable by whoever may view it, never added, changed or deleted here."""

    list_display = ["at", "action", "pool", "user", "code", "detail"]
    list_filter = ["action", "pool"]
    search_fields = ["user__email", "code__code", "detail"]
    list_select_related = ["pool", "user", "code"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PartnerAudit | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PartnerAudit | None = None) -> bool:
        return False
