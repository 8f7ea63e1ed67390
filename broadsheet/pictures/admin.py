"""The picture library in the desk: upload (checked before anything is kept), describe, insert."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils.html import format_html

from broadsheet.pictures import picker
from broadsheet.pictures.forms import PictureForm
from broadsheet.pictures.html import dimensions, picture_html, rendition_url
from broadsheet.pictures.models import Picture
from broadsheet.pictures.services import picture_create


@admin.register(Picture)
class PictureAdmin(admin.ModelAdmin[Picture]):
    form = PictureForm
    list_display = ["thumbnail", "alt", "caption", "credit", "size", "created_at"]
    search_fields = ["alt", "caption", "credit"]
    readonly_fields = ["preview", "insert_html", "size"]

    def get_fields(self, request: HttpRequest, obj: Picture | None = None) -> Any:
        if obj is None:
            return ["upload", "alt", "caption", "credit"]
        return ["preview", "alt", "caption", "credit", "size", "insert_html"]

    @admin.display(description="")
    def thumbnail(self, obj: Picture) -> str:
        w = min(obj.widths) if obj.widths else 0
        if not w:
            return ""
        width, height = dimensions(obj, w)
        return format_html(
            '<img src="{}" width="120" height="{}" alt="">', rendition_url(obj, w, "jpg"), round(120 * height / width)
        )

    @admin.display(description="Preview")
    def preview(self, obj: Picture) -> str:
        return picture_html(obj, sizes="480px", lazy=False) if obj.pk else ""

    @admin.display(description="Size")
    def size(self, obj: Picture) -> str:
        return f"{obj.width} by {obj.height} px; renditions {', '.join(str(w) for w in obj.widths)} px wide"

    @admin.display(description="To place it in a story body")
    def insert_html(self, obj: Picture) -> str:
        if not obj.pk:
            return ""
        return format_html(
            "In the story editor choose <em>Picture from the library</em> and search for “{}”: the page then "
            "serves the right size for each screen, with the caption and credit.",
            obj.caption or obj.alt,
        )

    def get_urls(self) -> list[URLPattern]:
        picker_urls = [
            path("picker/", self.admin_site.admin_view(picker.picker_search), name="pictures_picture_picker"),
            path(
                "picker/upload/",
                self.admin_site.admin_view(picker.picker_upload),
                name="pictures_picture_picker_upload",
            ),
        ]
        return picker_urls + super().get_urls()

    def save_model(self, request: HttpRequest, obj: Picture, form: Any, change: bool) -> None:
        data = form.cleaned_data.get("upload")
        if data is None:
            super().save_model(request, obj, form, change)
            return
        created = picture_create(
            data=data,
            name=getattr(form, "upload_name", "upload"),
            alt=obj.alt,
            caption=obj.caption,
            credit=obj.credit,
            uploaded_by_id=request.user.pk,
        )
        obj.pk, obj.key = created.pk, created.key
        obj.refresh_from_db()
