from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from broadsheet.core import clock
from broadsheet.readers import devices
from broadsheet.readers.models import Device, SharingFlag, User


class DeviceInline(admin.TabularInline[Device, User]):
    model = Device
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ("name", "kind", "created_at", "last_seen_at", "last_network", "place", "revoked_at", "revoked_reason")
    readonly_fields = fields
    ordering = ["revoked_at", "-last_seen_at"]
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [DeviceInline]


class SignedInFilter(admin.SimpleListFilter):
    title = "signed in"
    parameter_name = "signed_in"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Signed in"), ("no", "Signed out")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin[Device]):
    list_display = ["user", "name", "kind", "created_at", "last_seen_at", "last_network", "place", "revoked_reason"]
    list_filter = [SignedInFilter, "kind"]
    search_fields = ["user__email", "name", "last_network"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in Device._meta.fields if f.name not in ("token_hash", "session_key")]
    exclude = ["token_hash", "session_key"]
    actions = ["sign_out"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Sign out selected devices", permissions=["change"])
    def sign_out(self, request: HttpRequest, queryset: QuerySet[Device]) -> None:
        at = clock.now()
        actor = int(request.user.pk)  # type: ignore[arg-type]
        count = sum(
            devices.device_revoke(device=d, reason=devices.Reason.STAFF, actor_id=actor, at=at)
            for d in queryset.filter(revoked_at__isnull=True)
        )
        self.message_user(request, f"Signed out {count} device{'s' if count != 1 else ''}.", messages.SUCCESS)


@admin.register(SharingFlag)
class SharingFlagAdmin(admin.ModelAdmin[SharingFlag]):
    """Accounts seen from many networks at once: for the subscription manager to review.

    A flag never signs a reader out or blocks reading."""

    list_display = ["user", "networks", "window_start", "window_end", "flagged_at", "reviewed_at", "note"]
    list_filter = [("reviewed_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "networks", "window_start", "window_end", "flagged_at", "updated_at", "reviewed_by"]
    actions = ["mark_reviewed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Mark reviewed", permissions=["change"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[SharingFlag]) -> None:
        count = devices.sharing_flag_review(
            flag_ids=list(queryset.values_list("pk", flat=True)),
            actor_id=int(request.user.pk),  # type: ignore[arg-type]
        )
        self.message_user(request, f"Marked {count} reviewed.", messages.SUCCESS)
