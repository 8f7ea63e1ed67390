"""Signing in through the API: a token is a device, stored hashed, limited like the web's
log-in, counted against the plan's device limit, refused once revoked or expired."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from broadsheet.readers.models import Device
from tests import factories as f
from tests.api.helpers import get, send

pytestmark = pytest.mark.django_db


def sign_in(email: str, password: str = f.PASSWORD, client: Client | None = None, **extra: object) -> tuple[int, dict]:
    response = send(client or Client(), "post", "/api/v1/auth/token", {"email": email, "password": password, **extra})
    return response.status_code, response.json()


def test_sign_in_issues_a_token_once_stored_only_as_a_hash_and_listed_as_a_device() -> None:
    f.publication()
    user = f.reader()
    status, body = sign_in(user.email.upper())
    assert status == 201 and body["token"].startswith("bst_") and body["token_type"] == "Bearer"
    device = Device.objects.get(user=user)
    assert device.kind == "app" and body["token"] not in device.token_hash and len(device.token_hash) == 64
    assert body["device"]["id"] == device.pk and body["expires_at"]
    listed = get(Client(), "/api/v1/me/devices", body["token"])[1]
    assert [(d["id"], d["this_device"]) for d in listed["devices"]] == [(device.pk, True)]
    web = Client()
    web.force_login(user)
    assert device.name in web.get("/account/").content.decode()


def test_a_wrong_password_is_refused_and_web_and_app_failures_share_one_throttle() -> None:
    f.publication()
    user = f.reader()
    status, body = sign_in(user.email, "wrong")
    assert status == 401 and body["code"] == "invalid_credentials"
    web = Client()
    for _ in range(4):  # the web's form: 5 failed attempts per account in 5 minutes (ACCOUNT_RATE_LIMITS)
        web.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    status, body = sign_in(user.email)  # even the right password now waits
    assert status == 429 and body["code"] == "too_many_attempts"
    assert not Device.objects.filter(user=user).exists()


def test_a_token_revoked_from_the_account_page_is_refused_on_its_next_call() -> None:
    f.publication()
    user = f.reader()
    token = sign_in(user.email)[1]["token"]
    assert get(Client(), "/api/v1/me", token)[0] == 200
    web = Client()  # signed in with the password: signing another device out asks for it within minutes
    assert web.post("/accounts/login/", {"login": user.email, "password": f.PASSWORD}).status_code == 302
    web.post(f"/account/devices/{Device.objects.get(user=user, kind=Device.Kind.APP).pk}/sign-out/")
    status, body = get(Client(), "/api/v1/me", token)
    assert status == 401 and body["code"] == "token_revoked"


def test_a_token_revoked_through_the_api_and_signing_out_this_device() -> None:
    f.publication()
    user = f.reader()
    phone = sign_in(user.email)[1]
    tablet = sign_in(user.email)[1]
    assert (
        send(Client(), "delete", f"/api/v1/me/devices/{phone['device']['id']}", token=tablet["token"]).status_code
        == 204
    )
    assert get(Client(), "/api/v1/me", phone["token"])[1]["code"] == "token_revoked"
    assert send(Client(), "delete", "/api/v1/me/devices/999999", token=tablet["token"]).json()["code"] == "not_found"
    assert send(Client(), "delete", "/api/v1/auth/token", token=tablet["token"]).status_code == 204
    assert get(Client(), "/api/v1/me", tablet["token"])[1]["code"] == "token_revoked"
    assert not Device.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_a_token_expires_after_idle_days_and_at_the_latest_after_its_lifetime(settings: object) -> None:
    settings.BROADSHEET_APP_TOKEN_IDLE_DAYS = 30  # type: ignore[attr-defined]
    settings.BROADSHEET_APP_TOKEN_MAX_DAYS = 90  # type: ignore[attr-defined]
    settings.BROADSHEET_DEVICE_TOUCH_SECONDS = 0  # type: ignore[attr-defined]  # every use counts as use
    f.publication()
    user = f.reader()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        idle = sign_in(user.email)[1]["token"]
        used = sign_in(user.email)[1]["token"]
        for day in (20, 40, 60, 80):
            traveller.move_to(start + timedelta(days=day))
            assert get(Client(), "/api/v1/me", used)[0] == 200
        status, body = get(Client(), "/api/v1/me", idle)  # unused for 80 days
        assert status == 401 and body["code"] == "token_expired"
        traveller.move_to(start + timedelta(days=91))
        assert get(Client(), "/api/v1/me", used)[1]["code"] == "token_expired"  # used, but past its lifetime
    assert set(Device.objects.filter(user=user).values_list("revoked_reason", flat=True)) == {"token expired"}


def test_the_device_limit_applies_to_tokens_the_least_recently_used_one_goes(settings: object) -> None:
    settings.BROADSHEET_DEFAULT_MAX_DEVICES = 2  # type: ignore[attr-defined]
    f.publication()
    user = f.reader()
    tokens = [sign_in(user.email)[1]["token"] for _ in range(3)]
    assert get(Client(), "/api/v1/me", tokens[0])[1]["code"] == "token_revoked"
    assert [get(Client(), "/api/v1/me", t)[0] for t in tokens[1:]] == [200, 200]
    assert Device.objects.get(token_hash__isnull=False, revoked_at__isnull=False).revoked_reason == "device limit"


def test_under_the_ask_policy_a_sign_in_over_the_limit_names_the_devices_to_replace(settings: object) -> None:
    settings.BROADSHEET_DEFAULT_MAX_DEVICES = 1  # type: ignore[attr-defined]
    settings.BROADSHEET_DEVICE_LIMIT_POLICY = "ask"  # type: ignore[attr-defined]
    f.publication()
    user = f.reader()
    first = sign_in(user.email)[1]
    status, refused = sign_in(user.email)
    assert status == 409 and refused["code"] == "device_limit"
    assert [d["id"] for d in refused["devices"]] == [first["device"]["id"]]
    status, second = sign_in(user.email, replace=first["device"]["id"])
    assert status == 201
    assert get(Client(), "/api/v1/me", first["token"])[1]["code"] == "token_revoked"
    assert get(Client(), "/api/v1/me", second["token"])[0] == 200


def test_a_made_up_token_and_a_missing_one() -> None:
    f.publication()
    assert get(Client(), "/api/v1/me", "bst_made-up")[1]["code"] == "token_invalid"
    assert get(Client(), "/api/v1/me")[1]["code"] == "not_signed_in"
    status, body = get(Client(), "/api/v1/articles", "bst_made-up")  # reading too: never silently anonymous
    assert status == 401 and body["code"] == "token_invalid"
