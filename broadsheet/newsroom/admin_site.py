"""The desk: Django's admin under the publication's own name, not "Django administration"."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from broadsheet.newsroom.selectors import publication_get


class DeskSite(admin.AdminSite):
    site_url = "/"

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        name = publication_get().name
        context = super().each_context(request)
        context |= {"site_header": f"{name}: the desk", "site_title": f"{name} desk", "index_title": "The desk"}
        return context
