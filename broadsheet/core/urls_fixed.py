"""URLs that never change while the process runs, reversed once instead of per request."""

from __future__ import annotations

from functools import cache

from django.urls import reverse

NAMES = ("account", "account_login", "account_logout", "account_signup", "archive", "epaper", "subscribe")


@cache
def fixed_urls() -> dict[str, str]:
    return {name: reverse(name) for name in NAMES}


def fixed_url(name: str) -> str:
    return fixed_urls()[name]
