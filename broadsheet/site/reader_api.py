"""The reader through the API: sign in for a device token, sign out, benefits, devices.

A token is a device (readers.devices): it counts against the plan's device limit,
shows in the account page's device list, and signing it out there, here, or by a
password change stops it on its next call.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.params import P, PathEx
from pydantic import Field

from broadsheet.api.idempotency import idempotent
from broadsheet.api.problems import Problem, responses
from broadsheet.billing.entitlements import benefits_for_network, benefits_until
from broadsheet.billing.selectors import benefit_cards
from broadsheet.core import clock
from broadsheet.core.addresses import client_ip
from broadsheet.paywall.services import meter_merge_on_login
from broadsheet.readers import app_tokens, devices
from broadsheet.readers.api_auth import device_token, holder_of, user_id_of
from broadsheet.readers.models import Device, User

router = Router(tags=["Reader"])


class SignIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=4096)
    replace: int | None = Field(
        None, ge=1, le=2**62, description="A device id to sign out in this one's place (after a 409 device_limit)"
    )


class DeviceOut(Schema):
    id: int
    name: str
    kind: str = Field(description="web or app")
    first_seen: datetime
    last_seen: datetime
    place: str
    this_device: bool
    expires_at: datetime | None = Field(description="App tokens: when this sign-in ends unless used again")


class TokenOut(Schema):
    token: str = Field(description="Shown once: keep it in the app's secure storage")
    token_type: str = "Bearer"  # noqa: S105 - the scheme's name
    expires_at: datetime
    device: DeviceOut


class DevicesOut(Schema):
    limit: int = Field(description="Devices the reader may have signed in at once")
    devices: list[DeviceOut]


class ProfileOut(Schema):
    email: str
    display_name: str
    device_id: int


class BenefitHeldOut(Schema):
    code: str
    name: str
    description: str
    until: datetime | None = Field(description="When it ends unless renewed; null for one this network grants")
    through: str = Field(description="account (a plan or seat of the reader's) or network (where they read from)")


class BenefitsOut(Schema):
    benefits: list[BenefitHeldOut]


def device_out(device: Device, *, this_id: int | None) -> DeviceOut:
    return DeviceOut(
        id=device.pk,
        name=device.name,
        kind=device.kind,
        first_seen=device.created_at,
        last_seen=device.last_seen_at,
        place=device.place,
        this_device=device.pk == this_id,
        expires_at=devices.token_expiry(device) if device.kind == Device.Kind.APP else None,
    )


def _signed_in_again(request: HttpRequest, stored: dict[str, Any]) -> dict[str, Any] | None:
    """A retried sign-in (same Idempotency-Key): the same device, with a fresh token."""
    device_id = stored.get("device", {}).get("id")
    device = Device.objects.filter(pk=device_id, revoked_at__isnull=True).first() if device_id else None
    token = app_tokens.token_rotate(device_id=device.pk, user_id=device.user_id) if device is not None else None
    return {**stored, "token": token} if token else None


@router.post(
    "/auth/token",
    summary="Sign in: a device token",
    response={201: TokenOut, **responses(400, 401, 403, 409)},
    auth=None,
)
@decorate_view(idempotent(redact=("token",), replay=_signed_in_again))
def token_create(request: HttpRequest, data: SignIn) -> Status[TokenOut]:
    """Sign in with e-mail and password: a device token. Failed attempts are limited as on the
    web (per address and per account, counted together with the web's log-in form)."""
    try:
        token, device = app_tokens.app_sign_in(
            request, email=data.email, password=data.password, replace_id=data.replace
        )
    except app_tokens.SignInRefused as refused:
        headers = {"Retry-After": "300"} if refused.code == "too_many_attempts" else None
        raise Problem(refused.code, headers=headers) from refused
    except app_tokens.DeviceLimitReached as full:
        signed_in = [device_out(d, this_id=None).model_dump(mode="json") for d in full.signed_in]
        raise Problem(
            "device_limit", "Sign in again with `replace` set to one of these devices.", devices=signed_in
        ) from full
    meter_merge_on_login(request=request, user_id=device.user_id)
    out = TokenOut(token=token, expires_at=devices.token_expiry(device), device=device_out(device, this_id=device.pk))
    return Status(201, out)


@router.delete("/auth/token", summary="Sign this device out", response={204: None, **responses(401)}, auth=device_token)
@decorate_view(idempotent())
def token_delete(request: HttpRequest) -> Status[None]:
    """Sign this device out: the token stops working at once."""
    holder = holder_of(request)
    devices.device_revoke_for_user(
        user_id=holder.user_id,
        device_id=holder.device_id,
        reason=devices.Reason.SIGNED_OUT,
        actor_id=holder.user_id,
        at=clock.now(),
    )
    return Status(204, None)


@router.get("/me", summary="Who is signed in", response={200: ProfileOut, **responses(401)}, auth=device_token)
def me(request: HttpRequest) -> ProfileOut:
    holder = holder_of(request)
    user = User.objects.get(pk=holder.user_id)
    return ProfileOut(email=user.email, display_name=user.display_name, device_id=holder.device_id)


@router.get(
    "/me/benefits",
    summary="Benefits held, and until when",
    response={200: BenefitsOut, **responses(401)},
    auth=device_token,
)
def me_benefits(request: HttpRequest) -> BenefitsOut:
    """What the reader holds now, and until when."""
    now = clock.now()
    until = benefits_until(user_id=user_id_of(request), at=now)
    network = benefits_for_network(ip=client_ip(request), at=now) - until.keys()
    held = [
        BenefitHeldOut(
            code=b.code,
            name=b.name,
            description=b.description,
            until=until.get(b.code),
            through="account" if b.code in until else "network",
        )
        for b in benefit_cards()
        if b.code in until or b.code in network
    ]
    return BenefitsOut(benefits=held)


@router.get("/me/devices", summary="Signed-in devices", response={200: DevicesOut, **responses(401)}, auth=device_token)
def devices_list(request: HttpRequest) -> DevicesOut:
    """Where the reader is signed in (this app included), and how many devices the plan allows."""
    holder = holder_of(request)
    now = clock.now()
    devices.devices_prune_ended(user_id=holder.user_id, at=now, keep_id=holder.device_id)
    return DevicesOut(
        limit=devices.max_devices_for(user_id=holder.user_id, at=now),
        devices=[device_out(d, this_id=holder.device_id) for d in devices.devices_signed_in(user_id=holder.user_id)],
    )


@router.delete(
    "/me/devices/{device_id}",
    summary="Sign a device out",
    response={204: None, **responses(401, 404)},
    auth=device_token,
)
@decorate_view(idempotent())
def device_delete(request: HttpRequest, device_id: PathEx[int, P(ge=1, le=2**62)]) -> Status[None]:
    """Sign one of the reader's devices out (this one too, if named)."""
    holder = holder_of(request)
    if not devices.device_revoke_for_user(
        user_id=holder.user_id,
        device_id=device_id,
        reason=devices.Reason.SIGNED_OUT,
        actor_id=holder.user_id,
        at=clock.now(),
    ):
        raise Problem("not_found", "No such device signed in.")
    return Status(204, None)
