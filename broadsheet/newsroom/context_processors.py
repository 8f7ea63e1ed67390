from __future__ import annotations

from django.http import HttpRequest

from broadsheet.newsroom.selectors import nav_sections, publication_get


def publication(request: HttpRequest) -> dict[str, object]:
    return {"publication": publication_get(), "nav_sections": nav_sections()}
