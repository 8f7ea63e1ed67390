"""The editors' desk."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from broadsheet.core import generations
from broadsheet.newsroom.models import Agency, Article, Author, Publication, Section, Tag


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin[Publication]):
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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    list_display = ["headline", "section", "byline", "access", "status", "published_at", "view_link"]
    list_filter = ["status", "access", "section", "agency", "is_top_story"]
    search_fields = ["headline", "standfirst"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["authors", "tags"]
    list_select_related = ["section", "agency"]
    actions = [publish_now]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
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
        return format_html('<a href="{}">view</a>', obj.get_absolute_url())

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        generations.bump("newsroom")  # bylines and tags are saved after the row

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).prefetch_related("authors")
