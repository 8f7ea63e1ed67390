from django.contrib import admin

from broadsheet.ads.models import AdSlot


@admin.register(AdSlot)
class AdSlotAdmin(admin.ModelAdmin[AdSlot]):
    list_display = ["place", "active", "updated_at"]
    list_editable = ["active"]
