"""allauth hooks: carry the anonymous meter into the account at sign-up and log-in,
and register (or sign out) the browser as one of the reader's devices."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from broadsheet.paywall.services import meter_merge_on_login
from broadsheet.readers.middleware import web_sign_in, web_sign_out


class ReaderAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        meter_merge_on_login(request=request, user_id=user.pk)
        web_sign_in(request, user.pk)

    def logout(self, request: HttpRequest) -> None:
        web_sign_out(request)
        super().logout(request)

    def is_safe_url(self, url: str | None) -> bool:
        return bool(url) and super().is_safe_url(url)
