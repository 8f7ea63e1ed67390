"""The E-paper desk in the admin: upload an edition (replace after confirmation), watch it render,
see broken pages, publish and unpublish. For staff in the Editors group."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join

from broadsheet.core import clock
from broadsheet.epaper import selectors
from broadsheet.epaper.models import Clipping, Edition, Page, Printing
from broadsheet.epaper.tasks import printing_render_task
from broadsheet.epaper.uploads import (
    EditionExists,
    Upload,
    UploadRefused,
    edition_delete,
    edition_publish,
    edition_upload,
)


class UploadForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), help_text="The edition's date.")
    edition = forms.CharField(
        max_length=80,
        label="Edition",
        widget=forms.TextInput(attrs={"list": "edition-names"}),
        help_text="E.g. Mumbai or Delhi. The same name and date replace that edition.",
    )
    file = forms.FileField(label="PDF", help_text="The whole edition as one PDF, pages in order.")
    replace = forms.BooleanField(
        required=False,
        label="Replace the existing edition",
        help_text="Needed when this date and edition are already uploaded; the current one stays live until the new "
        "file has rendered.",
    )


class PrintingInline(admin.TabularInline[Printing, Edition]):
    model = Printing
    extra = 0
    can_delete = False
    fields = ["uploaded_at", "uploaded_by", "original_name", "state", "progress", "broken_pages", "error"]
    readonly_fields = ("uploaded_at", "uploaded_by", "original_name", "state", "progress", "broken_pages", "error")
    ordering = ["-uploaded_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Pages")
    def progress(self, obj: Printing) -> str:
        if obj.state == Printing.State.RENDERING:
            return f"{obj.pages_done} of {obj.page_count} rendered"
        return f"{obj.page_count}"

    @admin.display(description="Broken pages")
    def broken_pages(self, obj: Printing) -> str:
        broken = Page.objects.filter(printing=obj).exclude(error="").values_list("number", "error")
        if not broken:
            return "—"
        return format_html_join(format_html("<br>"), "page {}: {}", broken)


def _publish(published: bool, label: str) -> Any:
    @admin.action(description=label, permissions=["change"])
    def action(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
        changed = sum(edition_publish(edition_id=e.pk, published=published) for e in queryset)
        modeladmin.message_user(request, f"{label}: {changed} edition{'s' if changed != 1 else ''} changed.")

    action.__name__ = "publish" if published else "unpublish"
    return action


@admin.action(description="Render again (an upload left waiting or half-rendered)", permissions=["change"])
def render_again(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
    for edition in queryset:
        stuck = edition.printings.filter(state__in=[Printing.State.QUEUED, Printing.State.RENDERING]).first()
        if stuck is None:
            modeladmin.message_user(
                request, f"{edition}: nothing waiting to render (a failed upload's file is gone: upload it again)."
            )
            continue
        printing_render_task.enqueue(printing_id=stuck.pk)
        modeladmin.message_user(request, f"{edition}: queued for rendering again.")


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin[Edition]):
    list_display = ["date", "name", "status", "pages", "is_published", "reader_link"]
    list_filter = ["is_published", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]
    list_select_related = ["current"]
    actions = [_publish(False, "Unpublish"), _publish(True, "Publish"), render_again]
    fields = ["date", "name", "slug", "is_published", "status", "reader_link"]
    readonly_fields = ["date", "name", "slug", "status", "reader_link"]
    inlines = [PrintingInline]

    def save_model(self, request: HttpRequest, obj: Edition, form: Any, change: bool) -> None:
        edition_publish(edition_id=obj.pk, published=obj.is_published)  # the only field the desk edits here

    def delete_model(self, request: HttpRequest, obj: Edition) -> None:
        edition_delete(edition_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
        for pk in list(queryset.values_list("pk", flat=True)):
            edition_delete(edition_id=pk)

    def get_urls(self) -> list[URLPattern]:
        upload = self.admin_site.admin_view(self.upload_view)
        return [path("upload/", upload, name="epaper_edition_upload"), *super().get_urls()]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:epaper_edition_upload"))

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, initial={"date": selectors.today()})
        confirm = False
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            uploaded = data["file"]
            try:
                printing = edition_upload(
                    upload=Upload(stream=uploaded.file, size_bytes=uploaded.size, name=uploaded.name),
                    day=data["date"],
                    name=data["edition"],
                    replace=data["replace"],
                    actor_id=request.user.pk,
                    at=clock.now(),
                    today=selectors.today(),
                )
            except UploadRefused as exc:
                form.add_error("file", str(exc))
            except EditionExists as exc:
                confirm = True
                form.add_error("replace", f"{exc} Tick “Replace the existing edition” and upload again.")
            else:
                self.message_user(
                    request,
                    f"{printing.edition}: {printing.page_count} pages uploaded. They render in the background "
                    "(broadsheet worker); the status below follows.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:epaper_edition_change", args=[printing.edition_id]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "confirm": confirm,
            "names": selectors.edition_names(),
            "title": "Upload an edition",
        }
        return TemplateResponse(request, "epaper/admin/upload.html", context)

    @admin.display(description="Status")
    def status(self, obj: Edition) -> str:
        pending = obj.printings.filter(state__in=[Printing.State.QUEUED, Printing.State.RENDERING]).first()
        live = obj.current
        parts = []
        if live is not None:
            broken = f", {live.pages_broken} broken" if live.pages_broken else ""
            parts.append(f"live ({live.page_count} pages{broken})")
        if pending is not None:
            parts.append(f"new upload {pending.get_state_display()} ({pending.pages_done}/{pending.page_count})")
        failed = obj.printings.filter(state=Printing.State.FAILED).order_by("-uploaded_at").first()
        if failed is not None and (live is None or failed.uploaded_at > live.uploaded_at):
            parts.append(f"last upload failed: {failed.error[:120]}")
        return "; ".join(parts) or "no file yet"

    @admin.display(description="Pages")
    def pages(self, obj: Edition) -> int | str:
        return obj.current.page_count if obj.current else "—"

    @admin.display(description="Reader's view")
    def reader_link(self, obj: Edition) -> str:
        if obj.current_id is None:
            return "—"
        return format_html('<a href="{}">open</a>', obj.get_absolute_url())


@admin.register(Clipping)
class ClippingAdmin(admin.ModelAdmin[Clipping]):
    """Clippings readers shared; deleting one takes its public page down."""

    list_display = ["created_at", "edition", "page_number", "size", "created_by", "public_link"]
    list_select_related = ["edition", "created_by"]
    readonly_fields = [
        "key",
        "edition",
        "page_number",
        "left",
        "top",
        "width",
        "height",
        "image",
        "created_by",
        "created_at",
    ]
    fields = list(readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Size")
    def size(self, obj: Clipping) -> str:
        return f"{obj.image_width} x {obj.image_height} px"

    @admin.display(description="Public page")
    def public_link(self, obj: Clipping) -> str:
        return format_html('<a href="{}">open</a>', obj.get_absolute_url())
