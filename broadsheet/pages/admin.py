from django.contrib import admin
from django.utils.html import format_html

from broadsheet.newsroom.desk_editor import prose_form_for
from broadsheet.pages.models import StandingPage


@admin.register(StandingPage)
class StandingPageAdmin(admin.ModelAdmin[StandingPage]):
    form = prose_form_for(StandingPage, ["kind", "title", "body"])
    list_display = ["title", "kind", "updated_at", "view_link"]

    @admin.display(description="Page")
    def view_link(self, obj: StandingPage) -> str:
        return format_html('<a href="{}">view</a>', obj.get_absolute_url())
