"""A production site must say where it lives: every link in every mail is built on it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def site_url_check(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or settings.BROADSHEET_TESTING or settings.BROADSHEET_DEMO:
        return []
    if settings.SITE_URL_CONFIGURED:
        return []
    return [
        Error(
            "BROADSHEET_SITE_URL is not set.",
            hint="Set it to the site's public address (https://news.example.in): mails, feeds and "
            "structured data link to it.",
            id="broadsheet.E010",
        )
    ]
