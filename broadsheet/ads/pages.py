"""The ads' part of a kept story page's key (core.kept_pages): the snippets this reader's page carries."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from django.http import HttpRequest

from broadsheet.ads.selectors import page_ads


def ads_variant(request: HttpRequest, context: Mapping[str, Any]) -> Hashable:
    """An ad-free reader's page (no snippets) is never the page of one who sees ads."""
    return ("ads", tuple(sorted(page_ads(request).items())))
