"""Devices on the request path.

Web devices: the session carries the device id and when it was last written.
An ordinary page view reads only the session (already loaded for the user): no
device query. Every few minutes the last-seen time is written. A session whose
sign-in is over the device limit (the "ask" policy) is sent to the choose page.

App devices: `Authorization: Bearer <token>` signs the request in as the token's
reader, through one cached lookup by the token's hash.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from broadsheet.core import clock, generations
from broadsheet.core.addresses import client_ip
from broadsheet.core.middleware import PUBLIC_PREFIXES
from broadsheet.readers import app_tokens, conf, devices, signed_in
from broadsheet.readers import device_rules as rules
from broadsheet.readers.models import Device

SESSION_DEVICE = "_bs_device"
SESSION_SEEN = "_bs_seen"
SESSION_KEY = "_bs_key"
SESSION_PENDING = "_bs_pending"
PENDING_OPEN_PREFIXES = ("/static/", "/healthz", "/accounts/logout/", "/account/devices/choose/")


def web_sign_in(request: HttpRequest, user_id: int) -> None:
    """Called once the session is signed in (allauth's adapter): register this browser as a device."""
    session = request.session
    at = clock.now()
    previous = session.get(SESSION_DEVICE)
    if previous is not None and Device.objects.filter(pk=previous, user_id=user_id, revoked_at__isnull=True).exists():
        devices.device_rekey(device_id=previous, session_key=session.session_key or "")
        session[SESSION_KEY] = session.session_key
        return
    # Stored now, with the reader in it: a parallel sign-in's check for ended sessions must find
    # this one alive (Django would otherwise store it only with the response).
    session.save()
    device = devices.device_register(
        user_id=user_id,
        kind=Device.Kind.WEB,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ip=client_ip(request),
        at=at,
        session_key=session.session_key or "",
    )
    session[SESSION_DEVICE] = device.pk
    session[SESSION_KEY] = session.session_key
    session[SESSION_SEEN] = int(at.timestamp())
    if device.pending:
        session[SESSION_PENDING] = True
    else:
        session.pop(SESSION_PENDING, None)


def web_sign_out(request: HttpRequest) -> None:
    """The reader logs out of this browser: the device is signed out (the session is flushed after)."""
    device_id = request.session.get(SESSION_DEVICE)
    if device_id is None:
        return
    device = Device.objects.filter(pk=device_id, revoked_at__isnull=True).first()
    if device is not None:
        devices.device_revoke(device=device, reason=devices.Reason.SIGNED_OUT, actor_id=device.user_id, at=clock.now())


def current_device_id(request: HttpRequest) -> int | None:
    value = request.session.get(SESSION_DEVICE) if hasattr(request, "session") else None
    return int(value) if value is not None else None


class DeviceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        auth = request.META.get("HTTP_AUTHORIZATION", "")
        if auth.startswith("Bearer "):
            self._bearer(request, auth[7:].strip())
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or request.path.startswith(PUBLIC_PREFIXES):
            # No session to look at; and reading it would add "Vary: Cookie" to public documents.
            return self.get_response(request)
        session = request.session
        device_id = session.get(SESSION_DEVICE)
        if device_id is None:
            return self.get_response(request)
        if session.get(SESSION_PENDING) and not request.path.startswith(PENDING_OPEN_PREFIXES):
            choose = reverse("device_choose")
            return HttpResponseRedirect(f"{choose}?{urlencode({'next': request.get_full_path()})}")
        now = time.time()
        if rules.touch_due(session.get(SESSION_SEEN), now=now, interval=conf.touch_interval()):
            devices.device_touch(device_id=device_id, ip=client_ip(request), at=clock.now())
            session[SESSION_SEEN] = int(now)
        response = self.get_response(request)
        # Django may have given the session a new key (a password change does): follow it.
        new_key = session.session_key
        if new_key and session.get(SESSION_DEVICE) == device_id and session.get(SESSION_KEY) != new_key:
            devices.device_rekey(device_id=device_id, session_key=new_key)
            session[SESSION_KEY] = new_key
        return response

    @staticmethod
    def _bearer(request: HttpRequest, token: str) -> None:
        found = app_tokens.token_lookup(token) if token else None
        request.app_token = found  # type: ignore[attr-defined]  # the API's auth reads it
        if found is None:
            return
        user_id = found.user_id
        # The reader's stamp now, while no other stamp has been asked for: with Redis it comes in
        # the request's one MGET; asked later (when the lazy user loads, after the middleware
        # has read the publication's), it would cost a round trip of its own.
        generations.reader_current(user_id)

        def load() -> Any:
            return signed_in.active_user(user_id) or _anonymous()

        user = SimpleLazyObject(load)
        request.user = user  # type: ignore[assignment]

        async def auser() -> Any:
            return user

        request.auser = auser
        # A header, not a cookie: a browser never sends it by itself, so there is no CSRF risk.
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        app_tokens.token_touch(found, ip=client_ip(request))


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
