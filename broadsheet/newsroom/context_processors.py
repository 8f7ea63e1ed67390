from __future__ import annotations

from django.http import HttpRequest

from broadsheet.core.urls_fixed import fixed_urls
from broadsheet.newsroom.selectors import publication_get


def publication(request: HttpRequest) -> dict[str, object]:
    return {"publication": publication_get(), "urls": fixed_urls()}
