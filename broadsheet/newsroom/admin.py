"""The editors' desk."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from broadsheet.core import clock, generations
from broadsheet.newsroom.desk_editor import body_field
from broadsheet.newsroom.models import Agency, Article, Author, Publication, Section, Tag
from broadsheet.newsroom.selectors import is_live


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin[Publication]):
    autocomplete_fields = ["logo"]
    fieldsets = [
        (None, {"fields": ["name", "legal_name", "tagline", "logo"]}),
        ("Reading", {"fields": ["time_zone", "currency", "anonymous_free_limit", "registered_free_limit"]}),
        ("Registration", {"fields": ["registration_wall"]}),
        (
            "The archive",
            {
                "fields": ["archive_on_meter"],
                "description": "Stories older than the archive age (BROADSHEET_ARCHIVE_AGE_DAYS) need the archive "
                "benefit; this says whether readers without it may read archived metered stories on the meter.",
            },
        ),
        (
            "Grievance officer (IT Rules 2021)",
            {
                "fields": [
                    "grievance_officer_name",
                    "grievance_officer_email",
                    "grievance_officer_phone",
                    "grievance_officer_address",
                ],
                "description": "Published on the Grievance redressal page, linked from every page's footer.",
            },
        ),
    ]
    list_display = [
        "name",
        "time_zone",
        "currency",
        "anonymous_free_limit",
        "registered_free_limit",
        "registration_wall",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Publication.objects.exists()


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin[Section]):
    list_display = ["name", "slug", "position", "show_in_nav"]
    list_editable = ["position", "show_in_nav"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin[Author]):
    list_display = ["name", "role"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "code", "meter_exempt"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.action(description="Publish now")
def publish_now(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Article]) -> None:
    queryset.filter(published_at__isnull=True).update(published_at=timezone.now())
    queryset.update(status=Article.Status.PUBLISHED, modified_at=timezone.now())
    generations.bump("newsroom")


class ArticleDeskForm(forms.ModelForm[Article]):
    body = body_field(help_text="Headings, lists, quotes, links, tables and figures; pictures from the library.")

    class Meta:
        model = Article
        fields = ["body"]  # the admin's fieldsets name the rest


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    form = ArticleDeskForm
    list_display = ["headline", "section", "byline", "access", "status", "published_at", "view_link"]
    list_filter = ["status", "access", "section", "agency", "is_top_story"]
    search_fields = ["headline", "standfirst"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["authors", "tags", "lead_picture"]
    list_select_related = ["section", "agency"]
    actions = [publish_now]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "lead_picture", "body"]}),
        ("Credit", {"fields": ["section", "authors", "agency", "desk_initials", "tags"]}),
        ("Publishing", {"fields": ["access", "status", "published_at", "updated_at", "is_top_story"]}),
    ]

    @admin.display(description="Byline")
    def byline(self, obj: Article) -> str:
        if obj.agency_id:
            return f"--{obj.agency.code}"  # type: ignore[union-attr]
        return ", ".join(a.name for a in obj.authors.all())

    @admin.display(description="Page")
    def view_link(self, obj: Article) -> str:
        if obj.status == Article.Status.WITHDRAWN:
            return format_html('<a href="{}">notice</a>', obj.get_absolute_url())
        if is_live(obj, clock.now()):
            return format_html('<a href="{}">view</a>', obj.get_absolute_url())
        return format_html('<a href="{}">preview</a>', obj.get_absolute_url())

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        generations.bump("newsroom")  # bylines and tags are saved after the row

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).prefetch_related("authors")
