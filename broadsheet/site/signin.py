"""allauth hooks: carry the anonymous meter into the account at sign-up and log-in,
register (or sign out) the browser as one of the reader's devices, and build the
links in allauth's mails on the site's configured address, not the request's host."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from broadsheet.core.site import on_site
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

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # activate_url, password_reset_url, signup_url…: every link in the mail on BROADSHEET_SITE_URL.
        links = {k: on_site(v) for k, v in context.items() if k.endswith("_url") and isinstance(v, str)}
        super().send_mail(template_prefix, email, {**context, **links})

    def is_safe_url(self, url: str | None) -> bool:
        return bool(url) and super().is_safe_url(url)
