"""The reader's devices: sign one out, all others, choose which to drop, and app sign-in."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import cast

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import get_authentication_records
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from broadsheet.core import clock
from broadsheet.readers import app_tokens, devices
from broadsheet.readers import device_rules as rules
from broadsheet.readers.middleware import SESSION_PENDING, current_device_id


def _user_id(request: HttpRequest) -> int:
    return int(request.user.pk)  # type: ignore[arg-type]  # login_required


def _next(request: HttpRequest, default: str = "/account/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if ok else default


def _password_needed(request: HttpRequest) -> bool:
    """Signing another device out: ask for the password unless it was given in the last few minutes
    (ACCOUNT_REAUTHENTICATION_TIMEOUT, 300 s). Signing this device out needs nothing."""
    match = request.resolver_match
    if match is not None and match.kwargs.get("device_id") == current_device_id(request):
        return False
    records = get_authentication_records(request, request.user)
    given = [float(r["at"]) for r in records if r.get("method") == "password" and "at" in r]
    window = float(allauth_settings.REAUTHENTICATION_TIMEOUT)
    return not rules.password_given_recently(given, now=time.time(), window=window)


def _password_again(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """allauth's reauthentication (its page, then the request carried on), when `_password_needed`."""
    return cast(Callable[..., HttpResponse], reauthentication_required(enabled=_password_needed)(view))


@require_POST
@login_required
@_password_again
def device_sign_out(request: HttpRequest, device_id: int) -> HttpResponse:
    if device_id == current_device_id(request):
        get_adapter(request).logout(request)
        return redirect("home")
    if devices.device_revoke_for_user(
        user_id=_user_id(request),
        device_id=device_id,
        reason=devices.Reason.SIGNED_OUT,
        actor_id=_user_id(request),
        at=clock.now(),
    ):
        messages.success(request, "That device is signed out.")
    return redirect("account")


@require_POST
@login_required
@_password_again
def devices_sign_out_others(request: HttpRequest) -> HttpResponse:
    count = devices.device_revoke_others(
        user_id=_user_id(request),
        keep_id=current_device_id(request),
        reason=devices.Reason.OTHERS,
        actor_id=_user_id(request),
        at=clock.now(),
    )
    messages.success(request, f"Signed out {count} other device{'s' if count != 1 else ''}.")
    return redirect("account")


@login_required
def device_choose(request: HttpRequest) -> HttpResponse:
    """The "ask" policy: this new sign-in is over the limit; the reader picks a device to drop."""
    this = current_device_id(request)
    if this is None or not request.session.get(SESSION_PENDING):
        return HttpResponseRedirect(_next(request))
    user_id = _user_id(request)
    others = [d for d in devices.devices_signed_in(user_id=user_id) if d.pk != this and not d.pending]
    limit = devices.max_devices_for(user_id=user_id, at=clock.now())
    if request.method == "POST":
        choice = request.POST.get("drop", "")
        if choice == "this":
            get_adapter(request).logout(request)  # signs this device out
            return redirect("home")
        if choice.isdigit() and any(d.pk == int(choice) for d in others):
            devices.device_revoke_for_user(
                user_id=user_id, device_id=int(choice), reason=devices.Reason.REPLACED, actor_id=user_id, at=clock.now()
            )
            others = [d for d in others if d.pk != int(choice)]
    if len(others) < limit:  # room now (a device was dropped here or signed out elsewhere)
        devices.device_confirm(device_id=this)
        request.session.pop(SESSION_PENDING, None)
        return HttpResponseRedirect(_next(request))
    return render(request, "readers/devices/choose.html", {"others": others, "limit": limit, "next": _next(request)})


def _json(request: HttpRequest) -> dict[str, object]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return dict(request.POST.items())


@csrf_exempt
@require_POST
def app_token(request: HttpRequest) -> JsonResponse:
    """POST {"email", "password"[, "replace"]} → {"token", "device_id"} once; 401 on bad credentials.

    The first app sign-in; apps should use POST /api/v1/auth/token (same service, problem details)."""
    data = _json(request)
    replace = str(data.get("replace") or "")
    try:
        token, device = app_tokens.app_sign_in(
            request,
            email=str(data.get("email", "")),
            password=str(data.get("password", "")),
            replace_id=int(replace) if replace.isdigit() else None,
        )
    except app_tokens.SignInRefused as refused:
        status = 429 if refused.code == "too_many_attempts" else 401
        return JsonResponse({"error": refused.code}, status=status)
    except app_tokens.DeviceLimitReached as full:
        listed = [{"id": d.pk, "name": d.name, "last_seen": d.last_seen_at.isoformat()} for d in full.signed_in]
        return JsonResponse({"error": "device_limit", "devices": listed}, status=409)
    return JsonResponse({"token": token, "device_id": device.pk, "name": device.name}, status=201)
