"""The wire desk in the admin: the queue (what arrived, from where, what happened), sources, rules, log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from broadsheet.core.text import visible_controls
from broadsheet.newsroom.models import Article
from broadsheet.wire import desk
from broadsheet.wire.decide import Outcome
from broadsheet.wire.models import IngestRun, MappingRule, WireFile, WireItem, WireSource, WireStory
from broadsheet.wire.services import SourceBusy, source_ingest


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.action(description="Ingest now")
def ingest_now(modeladmin: Any, request: HttpRequest, queryset: QuerySet[WireSource]) -> None:
    for source in queryset.select_related("agency"):
        try:
            tally = source_ingest(source=source, trigger=f"desk:{request.user}")
        except SourceBusy as exc:
            modeladmin.message_user(request, str(exc), messages.WARNING)
            continue
        level = messages.ERROR if tally.errors else messages.SUCCESS
        modeladmin.message_user(request, f"{source}: {'; '.join(tally.errors) or tally.summary()}", level)


@admin.register(WireSource)
class WireSourceAdmin(admin.ModelAdmin[WireSource]):
    list_display = [
        "name",
        "slug",
        "agency",
        "kind",
        "location",
        "auto_publish",
        "enabled",
        "last_polled_at",
        "last_result",
    ]
    list_filter = ["kind", "auto_publish", "enabled", "agency"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["last_polled_at", "last_result", "etag", "last_modified"]
    actions = [ingest_now]


@admin.register(MappingRule)
class MappingRuleAdmin(admin.ModelAdmin[MappingRule]):
    list_display = ["position", "match", "source", "section", "tag", "access", "note"]
    list_display_links = ["match"]
    list_editable = ["position"]
    list_filter = ["source", "section"]
    search_fields = ["match", "note"]
    autocomplete_fields = ["tag"]


class WireItemForm(forms.ModelForm[WireItem]):
    corrected = forms.CharField(
        label="Corrected copy",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        help_text=(
            "Edit the item's text here to fix it, save, then use the “Retry” action. The original stays as it came."
        ),
    )

    class Meta:
        model = WireItem
        fields: list[str] = []


def _publish_action(access: str | None, label: str) -> Any:
    @admin.action(description=label, permissions=["publish"])
    def action(modeladmin: Any, request: HttpRequest, queryset: QuerySet[WireItem]) -> None:
        done = 0
        for item in queryset.filter(state=Outcome.QUEUED):
            try:
                desk.item_publish(item_id=item.pk, actor=request.user, access=access)  # type: ignore[arg-type]
                done += 1
            except desk.DeskError as exc:
                modeladmin.message_user(request, f"{item}: {exc}", messages.WARNING)
        modeladmin.message_user(request, f"Published {done} {'story' if done == 1 else 'stories'}.")

    action.__name__ = f"publish_{access or 'keep'}"
    return action


@admin.action(description="Retry the selected quarantined items", permissions=["retry"])
def retry(modeladmin: Any, request: HttpRequest, queryset: QuerySet[WireItem]) -> None:
    for item in queryset.filter(state=Outcome.QUARANTINED):
        tally = desk.item_retry(item_id=item.pk, actor=request.user)  # type: ignore[arg-type]
        item.refresh_from_db()
        level = messages.WARNING if item.state == Outcome.QUARANTINED else messages.SUCCESS
        modeladmin.message_user(request, f"{item}: now {item.state} ({item.reason}). {tally.summary()}", level)


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin[WireItem]):
    """The queue: every item that arrived, where from, and what happened to it."""

    form = WireItemForm
    # What the desk reads first comes first: at 1366 px the reason is on screen without scrolling.
    list_display = ["received_at", "headline", "state", "reason", "agency_id_version", "source", "story_links"]
    list_filter = ["state", "source", "received_at"]
    search_fields = ["headline", "guid", "reason"]
    list_select_related = ["source", "story__article__section"]
    date_hierarchy = "received_at"
    actions = [
        _publish_action(None, "Publish (keep access level)"),
        _publish_action(Article.Access.FREE, "Publish as free"),
        _publish_action(Article.Access.METERED, "Publish as metered"),
        _publish_action(Article.Access.PREMIUM, "Publish as premium"),
        retry,
    ]
    readonly_fields = [
        "received_at",
        "source",
        "file",
        "position",
        "guid",
        "version",
        "headline",
        "state",
        "reason",
        "story_links",
        "original",
        "raw_path",
        "handled_by",
        "handled_at",
    ]

    def get_fields(self, request: HttpRequest, obj: WireItem | None = None) -> list[str]:  # type: ignore[override]
        fields = list(self.readonly_fields)
        if obj is not None and obj.state == Outcome.QUARANTINED:
            fields.append("corrected")
        return fields

    def get_form(self, request: HttpRequest, obj: WireItem | None = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "corrected" in form.base_fields:
            source = obj.fixed_raw or obj.raw or b""
            form.base_fields["corrected"].initial = bytes(source).decode("utf-8", "replace")
        return form

    def save_model(self, request: HttpRequest, obj: WireItem, form: Any, change: bool) -> None:
        corrected = form.cleaned_data.get("corrected")
        if obj.state == Outcome.QUARANTINED and corrected and "corrected" in form.changed_data:
            desk.item_fix(item_id=obj.pk, raw=corrected.encode("utf-8"), actor=request.user)  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: WireItem | None = None) -> bool:
        return False

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("wire.publish_wireitem")

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("wire.retry_wireitem")

    @admin.display(description="Agency id / version")
    def agency_id_version(self, obj: WireItem) -> str:
        return f"{obj.guid} v{obj.version}" if obj.version is not None else obj.guid

    @admin.display(description="Story")
    def story_links(self, obj: WireItem) -> str:
        article = obj.story.article if obj.story else None
        if article is None:
            return "—"
        edit = reverse("admin:newsroom_article_change", args=[article.pk])
        return format_html(
            '<a href="{}">edit</a> · <a href="{}">page</a> ({})',
            edit,
            article.get_absolute_url(),
            article.get_status_display(),
        )

    @admin.display(description="Original bytes")
    def original(self, obj: WireItem) -> str:
        if not obj.raw:
            return "—" if not obj.raw_path else "kept on disk (see path below)"
        data = bytes(obj.raw)
        shown = visible_controls(data[:20000].decode("utf-8", "replace"))
        more = f" … ({len(data):,} bytes in all)" if len(data) > 20000 else ""
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>{}", shown, more)


@admin.register(WireFile)
class WireFileAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "source", "name", "format", "size", "state", "reason"]
    list_filter = ["state", "source", "format"]
    search_fields = ["name", "sha256"]


@admin.register(WireStory)
class WireStoryAdmin(ReadOnlyAdmin):
    list_display = ["guid", "agency", "version", "killed", "article", "updated_at"]
    list_filter = ["killed", "agency"]
    search_fields = ["guid"]


@admin.register(IngestRun)
class IngestRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "source", "trigger", "finished_at", "counts", "error"]
    list_filter = ["source", "trigger"]
