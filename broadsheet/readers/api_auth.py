"""Who is asking: a device token (`Authorization: Bearer bst_…`) or nobody.

`DeviceToken` requires a token; `token_or_anonymous` (for reading) also lets a request
without any Authorization header through as an anonymous reader, metered as the web
meters one. A token that is present but refused is always a 401 with the reason
(`token_revoked`, `token_expired`, `token_invalid`), never a silent fall-back to
anonymous: the app must learn it was signed out, and clear what it kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from broadsheet.api.problems import Problem
from broadsheet.core.addresses import client_ip
from broadsheet.readers import app_tokens
from broadsheet.readers.app_tokens import TokenHolder

ANONYMOUS = "anonymous"  # request.auth for a request without a token


class DeviceToken(HttpBearer):
    """A device token from POST /api/v1/auth/token."""

    openapi_scheme = "bearer"
    openapi_bearerFormat = "bst_…"

    def authenticate(self, request: HttpRequest, token: str) -> TokenHolder:
        holder: TokenHolder | None = getattr(request, "app_token", None)
        if holder is None and token and not hasattr(request, "app_token"):
            holder = _sign_in_here(request, token)  # a scheme spelled "bearer": the middleware skipped it
        if holder is None:
            raise Problem(app_tokens.token_refusal(token) if token else "token_invalid")
        return holder


def _sign_in_here(request: HttpRequest, token: str) -> TokenHolder | None:
    holder = app_tokens.token_lookup(token)
    request.app_token = holder  # type: ignore[attr-defined]
    if holder is not None:
        request.user = get_user_model().objects.filter(pk=holder.user_id, is_active=True).first() or AnonymousUser()
        app_tokens.token_touch(holder, ip=client_ip(request))
    return holder


class Anonymous:
    """No Authorization header at all: an anonymous reader."""

    def __call__(self, request: HttpRequest) -> str | None:
        return None if "HTTP_AUTHORIZATION" in request.META else ANONYMOUS


device_token = DeviceToken()
token_or_anonymous: list[Any] = [device_token, Anonymous()]
# For the OpenAPI document of operations that take a token but do not need one.
OPTIONAL_TOKEN: dict[str, Any] = {"security": [{"DeviceToken": []}, {}]}


def holder_of(request: HttpRequest) -> TokenHolder:
    """The token behind a request that passed `device_token`."""
    auth = getattr(request, "auth", None)
    if not isinstance(auth, TokenHolder):
        raise Problem("not_signed_in")
    return auth


def user_id_of(request: HttpRequest) -> int:
    return holder_of(request).user_id
