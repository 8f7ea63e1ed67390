from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from broadsheet.ads.selectors import page_ads


def ads(request: HttpRequest) -> dict[str, object]:
    """`ads`: place → snippet, empty for ad-free readers; evaluated only by pages with slots."""
    return {"ads": SimpleLazyObject(lambda: page_ads(request))}
