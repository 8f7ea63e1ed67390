"""Calling the API as an app would: JSON in, JSON (or problem details) out, a bearer token."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from broadsheet.readers import app_tokens
from broadsheet.readers.models import User

APP_UA = "BroadsheetReader/1.0 (Android 14; Pixel 8)"


def token_for(user: User, *, ua: str = APP_UA) -> str:
    """A device token for `user`, issued as a sign-in would (without hashing a password)."""
    token, _device = app_tokens.token_issue(user_id=user.pk, user_agent=ua, ip="127.0.0.1")
    return token


def bearer(token: str | None) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}


def get(client: Client, path: str, token: str | None = None, **extra: Any) -> tuple[int, Any]:
    response = client.get(path, HTTP_USER_AGENT=APP_UA, **bearer(token), **extra)
    return response.status_code, response.json() if response.content else None


def send(client: Client, method: str, path: str, body: Any = None, token: str | None = None, **extra: Any) -> Any:
    """POST/DELETE with a JSON body; returns the response (status, headers and .json())."""
    call = getattr(client, method.lower())
    data = json.dumps(body) if body is not None else ""
    return call(path, data, content_type="application/json", HTTP_USER_AGENT=APP_UA, **bearer(token), **extra)
